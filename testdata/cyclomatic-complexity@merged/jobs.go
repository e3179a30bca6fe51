package jobs

import (
	"errors"
	"strings"
)

type Job struct {
	Kind     string
	Priority int
	Tags     []string
	Retries  int
}

// Route is over the cyclomatic, cognitive and nesting limits: one finding lists all three.
func Route(jobs []Job, strict bool) ([]string, error) { // want "^Route: cognitive complexity 16 \\(threshold 6\\), cyclomatic complexity 8 \\(5\\), nesting depth 4 \\(3\\): flatten the nesting or extract helpers$"
	var out []string
	for _, j := range jobs {
		if j.Kind == "" {
			if strict {
				return nil, errors.New("job without a kind")
			}
			continue
		}
		for _, t := range j.Tags {
			if strings.HasPrefix(t, "skip") {
				if j.Priority > 5 || j.Retries > 3 {
					out = append(out, "urgent:"+t)
				}
				continue
			}
			out = append(out, j.Kind+":"+t)
		}
	}
	return out, nil
}

// Score is over the cyclomatic and cognitive thresholds; the comment silences the cognitive
// figure only, so the finding lists the cyclomatic one.
//
//nolint:gocognit // the scoring table reads top to bottom
func Score(j Job) int { // want "^Score: cyclomatic complexity 9 \\(threshold 5\\): split it into smaller functions$"
	score := 0
	if j.Priority > 8 {
		score += 10
	} else if j.Priority > 5 {
		score += 5
	} else if j.Priority > 2 {
		score += 2
	}
	if j.Retries > 0 && j.Retries < 3 || j.Kind == "batch" {
		score--
	}
	for _, t := range j.Tags {
		if t == "vip" {
			score += 3
		}
	}
	return score
}

// Retry is over the cyclomatic and cognitive thresholds too; its comment names the rule of
// the figure furthest over, the finding's id, which silences the whole finding.
//
//nolint:cyclomatic-complexity // a flat decision table
func Retry(j Job, err error) bool {
	switch {
	case err == nil:
		return false
	case j.Retries > 5:
		return false
	case j.Kind == "batch" && j.Priority < 2:
		return false
	case j.Kind == "stream" || j.Kind == "cron":
		return true
	case strings.Contains(err.Error(), "timeout"):
		if j.Priority > 1 {
			return true
		}
	}
	for _, t := range j.Tags {
		if t == "retry" {
			return true
		}
	}
	return j.Priority > 3
}

// Label stays under every limit.
func Label(j Job) string {
	if j.Kind == "" {
		return "unknown"
	}
	return strings.ToUpper(j.Kind)
}
