package fakehttp

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Server is a running fake: either a standalone [http.Server] ([Start]) or an
// [httptest.Server] ([StartTest], [StartTB]).
type Server struct {
	url      string
	addr     string
	shutdown func(context.Context) error
	done     chan error
}

// URL returns the base URL, e.g. "http://127.0.0.1:41234", without a trailing slash.
func (s *Server) URL() string { return s.url }

// Addr returns the listening address (host:port).
func (s *Server) Addr() string { return s.addr }

// Close stops the server at once, closing open connections. It is safe to
// call more than once.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	err := s.shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return nil
	}
	return err
}

// Shutdown stops accepting connections and waits for active calls to finish
// or ctx to end.
func (s *Server) Shutdown(ctx context.Context) error { return s.shutdown(ctx) }

// Done returns a channel that yields the serve error (nil after a clean
// shutdown) once a standalone server stops. It is nil for test servers.
func (s *Server) Done() <-chan error { return s.done }

// Start listens on addr (e.g. "127.0.0.1:0", ":8080") and serves h with an
// [http.Server] with conservative header timeouts.
func Start(addr string, h http.Handler) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() {
		err := hs.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		done <- err
	}()
	var mu sync.Mutex
	closed := false
	return &Server{
		url:  "http://" + ln.Addr().String(),
		addr: ln.Addr().String(),
		done: done,
		shutdown: func(ctx context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			if closed {
				return nil
			}
			closed = true
			if dl, ok := ctx.Deadline(); ok && !dl.After(time.Now()) {
				return hs.Close()
			}
			return hs.Shutdown(ctx)
		},
	}, nil
}

// StartTest serves h with [httptest.NewServer]; the caller must Close it.
func StartTest(h http.Handler) *Server {
	ts := httptest.NewServer(h)
	var once sync.Once
	return &Server{
		url:  ts.URL,
		addr: ts.Listener.Addr().String(),
		shutdown: func(context.Context) error {
			once.Do(ts.Close)
			return nil
		},
	}
}

// StartTB is [StartTest] with Close registered through t.Cleanup.
func StartTB(t testing.TB, h http.Handler) *Server {
	t.Helper()
	s := StartTest(h)
	t.Cleanup(func() { _ = s.Close() })
	return s
}
