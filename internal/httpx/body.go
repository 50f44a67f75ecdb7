package httpx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// MaxErrorBody is the most that is read of an error response body (1 MiB).
const MaxErrorBody = 1 << 20

// ErrBodyTooLarge is returned (wrapped) by [ReadBody] when a body exceeds its limit.
var ErrBodyTooLarge = errors.New("httpx: response body too large")

// ReadBody reads all of r, but no more than max bytes. A longer body yields an error
// that wraps [ErrBodyTooLarge]; the bytes read so far are returned with it.
func ReadBody(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return b, err
	}
	if int64(len(b)) > max {
		return b[:max], fmt.Errorf("%w (limit %d bytes)", ErrBodyTooLarge, max)
	}
	return b, nil
}

// PeekBody reads up to max bytes of resp.Body and puts them back, so that the body
// can still be read in full afterwards. It is meant for retry policies that classify
// an error response by its content.
func PeekBody(resp *http.Response, max int64) ([]byte, error) {
	if resp == nil || resp.Body == nil || resp.Body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, max))
	resp.Body = &multiReadCloser{Reader: io.MultiReader(bytes.NewReader(b), resp.Body), closer: resp.Body}
	return b, err
}

type multiReadCloser struct {
	io.Reader
	closer io.Closer
}

func (m *multiReadCloser) Close() error { return m.closer.Close() }
