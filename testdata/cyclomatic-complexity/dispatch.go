package dispatch

import (
	"errors"
	"strings"
)

// Job is a unit of work routed by kind.
type Job struct {
	Kind    string
	Urgent  bool
	Retries int
	Tags    []string
}

// Route picks a queue for a job: one switch, a loop and mixed conditions.
func Route(j Job) (string, error) { // want "^Route: cyclomatic complexity 8 \\(threshold 5\\): split it into smaller functions$"
	switch j.Kind {
	case "email", "sms":
		if j.Urgent && j.Retries < 3 {
			return "fast", nil
		}
		return "notify", nil
	case "report":
		for _, t := range j.Tags {
			if strings.HasPrefix(t, "big-") || t == "archive" {
				return "batch", nil
			}
		}
		return "default", nil
	default:
		return "", errors.New("unknown kind")
	}
}

// Queue routes jobs; its method form is named the way gocyclo names methods.
type Queue struct{ jobs []Job }

// Drain has nine paths, over the high threshold: reported as high severity.
func (q *Queue) Drain(stop func() bool) (n int, err error) { // want "^\\(\\*Queue\\)\\.Drain: cyclomatic complexity 9 \\(threshold 5\\)"
	for i, j := range q.jobs {
		if stop != nil && stop() {
			return n, nil
		}
		select {
		case <-make(chan struct{}):
			continue
		default:
		}
		switch {
		case j.Kind == "":
			err = errors.New("empty kind")
		case i > 100 || j.Retries > 5:
			return n, errors.New("too many")
		}
		go func() {
			if j.Urgent {
				n++
			}
		}()
	}
	return n, err
}

// RouteSimple is the fixed shape: a lookup table instead of branches.
func RouteSimple(j Job) (string, error) {
	queues := map[string]string{"email": "notify", "sms": "notify", "report": "default"}
	q, ok := queues[j.Kind]
	if !ok {
		return "", errors.New("unknown kind")
	}
	if j.Urgent {
		return "fast", nil
	}
	return q, nil
}

// handler is a package-level function literal: gocyclo scores it on its own.
var handler = func(j Job) bool {
	return j.Urgent && j.Retries > 0 || j.Kind == "sms"
}

// RouteLegacy keeps the old branchy table on purpose; gocyclo's directive skips it.
//
//gocyclo:ignore
func RouteLegacy(j Job) string {
	if j.Urgent && j.Retries > 0 || j.Kind == "sms" {
		if j.Kind == "email" || j.Kind == "push" {
			return "fast"
		}
	}
	return "slow"
}
