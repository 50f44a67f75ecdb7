package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// childEnv marks a process started by the parent (the tests use it to run
// the test binary as a worker).
const childEnv = "HUBWISE_MULTIWORKER_CHILD"

// result is what a parent run saw.
type result struct {
	tenants   []string
	passes    []passLine
	byTenant  map[string][]passLine
	converged map[string]bool
	killed    string
	elapsed   time.Duration
	logs      map[string]*lockedBuffer
	calls     []call
	// Findings of the checks made while the fakes were up.
	duplicates []string
	overlaps   []string
	untagged   int
	o          *options
}

// lockedBuffer collects a child's log.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// runParent starts the fakes and the workers (copies of self), prints the
// pass reports until every tenant converged, stops the workers and checks
// the run.
func runParent(ctx context.Context, o *options, self string, out io.Writer) (*result, error) {
	if o.schema == "" {
		var b [6]byte
		_, _ = rand.Read(b[:])
		o.schema = "multiworker_" + hex.EncodeToString(b[:])
	}
	f, err := startFakes(ctx, o)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dir, err := os.MkdirTemp("", "hubwise-multiworker-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "tenants.json")
	if err := f.writeTenantsFile(file); err != nil {
		return nil, err
	}
	res := &result{o: o, byTenant: map[string][]passLine{}, converged: map[string]bool{}, logs: map[string]*lockedBuffer{}}
	for _, t := range f.tenants {
		res.tenants = append(res.tenants, t.info.Key)
	}
	if !o.quiet {
		fmt.Fprintf(out, "%d tenants on fakes (127.0.0.1), %d workers, store schema %s\n", o.tenants, o.workers, o.schema)
	}

	lines := make(chan passLine, 1024)
	var readers sync.WaitGroup
	cmds := make([]*exec.Cmd, o.workers)
	var killMu sync.Mutex
	f.mu.Lock()
	f.onWrite = func(worker string, n int) func() {
		if o.killAfter <= 0 || worker != "w1" || n != o.killAfter {
			return nil
		}
		return func() {
			killMu.Lock()
			defer killMu.Unlock()
			_ = cmds[0].Process.Kill()
			res.killed = "w1"
		}
	}
	f.mu.Unlock()
	start := time.Now()
	killMu.Lock()
	for i := range cmds {
		id := "w" + strconv.Itoa(i+1)
		args := []string{"-worker", "-id", id, "-tenants-file", file, "-dsn", o.dsn, "-schema", o.schema,
			"-lease-ttl", o.leaseTTL.String(), "-poll", o.poll.String(), "-max-tenants", strconv.Itoa(o.maxTenants)}
		if i == 1 && o.stallAfter > 0 {
			args = append(args, "-stall-after", strconv.Itoa(o.stallAfter))
		}
		cmd := exec.Command(self, args...)
		cmd.Env = append(os.Environ(), childEnv+"=1")
		res.logs[id] = &lockedBuffer{}
		cmd.Stderr = res.logs[id]
		stdout, err := cmd.StdoutPipe()
		if err == nil {
			err = cmd.Start()
		}
		if err != nil {
			killMu.Unlock()
			stopAll(cmds[:i])
			return nil, fmt.Errorf("start worker %s: %w", id, err)
		}
		cmds[i] = cmd
		readers.Add(1)
		go func() {
			defer readers.Done()
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				var l passLine
				if json.Unmarshal(sc.Bytes(), &l) == nil {
					lines <- l
				}
			}
		}()
	}
	killMu.Unlock()
	readersDone := make(chan struct{})
	go func() {
		readers.Wait()
		close(readersDone)
	}()

	timeout := time.NewTimer(o.timeout)
	defer timeout.Stop()
	var runErr error
wait:
	for len(res.converged) < len(res.tenants) {
		select {
		case l := <-lines:
			res.add(l, out)
		case <-readersDone:
			runErr = errors.New("every worker exited before the tenants converged")
			break wait
		case <-timeout.C:
			runErr = fmt.Errorf("the tenants did not converge within %s (%d of %d did)", o.timeout, len(res.converged), len(res.tenants))
			break wait
		case <-ctx.Done():
			runErr = ctx.Err()
			break wait
		}
	}
	res.elapsed = time.Since(start)
	// SIGTERM: the workers abandon their passes, release their leases and exit.
	killMu.Lock()
	for _, c := range cmds {
		_ = c.Process.Signal(syscall.SIGTERM)
	}
	killMu.Unlock()
	grace := time.AfterFunc(15*time.Second, func() { stopAll(cmds) })
drain:
	for {
		select {
		case l := <-lines:
			res.add(l, out)
		case <-readersDone:
			break drain
		}
	}
	for len(lines) > 0 {
		res.add(<-lines, out)
	}
	for _, c := range cmds {
		_ = c.Wait()
	}
	grace.Stop()
	res.calls = f.callLog()
	res.verify(f)
	if !o.quiet {
		res.print(out)
	}
	return res, runErr
}

func stopAll(cmds []*exec.Cmd) {
	for _, c := range cmds {
		if c != nil && c.Process != nil {
			_ = c.Process.Kill()
		}
	}
}

// add records a pass line; a clean pass that wrote nothing means the tenant
// converged.
func (r *result) add(l passLine, out io.Writer) {
	r.passes = append(r.passes, l)
	r.byTenant[l.Tenant] = append(r.byTenant[l.Tenant], l)
	if l.Err == "" && !l.LeaseLost && !l.Abandoned && l.Writes == 0 {
		r.converged[l.Tenant] = true
	}
	if r.o.quiet {
		return
	}
	status := "ok"
	switch {
	case l.LeaseLost:
		status = "LEASE LOST: " + l.Err
	case l.Abandoned:
		status = "abandoned on shutdown"
	case l.Err != "":
		status = "error: " + l.Err
	}
	fmt.Fprintf(out, "%s  %-4s gen %-3d %7.1f ms  records %4d  writes %4d  calls hs %3d cw %3d  %s\n",
		l.Tenant, l.Worker, l.Generation, l.Millis, l.Records, l.Writes, l.HSCalls, l.CWCalls, status)
}

// passCount counts the passes that ran to their end.
func (r *result) passCount() (passes, records int) {
	for _, l := range r.passes {
		if l.Err == "" && !l.LeaseLost && !l.Abandoned {
			passes++
			records += l.Records
		}
	}
	return passes, records
}

// fenced returns the passes whose lease was lost with a refused commit or
// renewal.
func (r *result) fenced() []passLine {
	var out []passLine
	for _, l := range r.passes {
		if l.LeaseLost {
			out = append(out, l)
		}
	}
	return out
}

// check turns the findings into an error.
func (r *result) check() error {
	var errs []error
	for _, t := range r.tenants {
		if !r.converged[t] {
			errs = append(errs, fmt.Errorf("%s did not finish", t))
		}
	}
	for _, d := range r.duplicates {
		errs = append(errs, errors.New("duplicate: "+d))
	}
	for _, o := range r.overlaps {
		errs = append(errs, errors.New("two workers at once: "+o))
	}
	if r.untagged > 0 {
		errs = append(errs, fmt.Errorf("%d requests without the worker header", r.untagged))
	}
	if r.o.killAfter > 0 && r.killed == "" {
		errs = append(errs, errors.New("-kill-after: the worker was not killed (it wrote too little)"))
	}
	if r.o.stallAfter > 0 && len(r.fenced()) == 0 {
		errs = append(errs, errors.New("-stall-after: no commit was refused"))
	}
	return errors.Join(errs...)
}
