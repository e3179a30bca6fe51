package config

import (
	"bufio"
	"errors"
	"strings"
)

// ParseDeep nests four levels of control flow before doing real work.
func ParseDeep(text string, strict bool) (map[string]string, error) { // want "^ParseDeep: nesting depth 4 \\(limit 3\\): return early or extract the inner blocks$"
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if line != "" {
			switch line[0] {
			case '#':
				if strict {
					return nil, errors.New("comments not allowed")
				}
			default:
				k, v, _ := strings.Cut(line, "=")
				out[k] = v
			}
		}
	}
	return out, sc.Err()
}

// ParseFlat is the fixed shape: early continues keep the depth at two.
func ParseFlat(text string, strict bool) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		if line[0] == '#' {
			if strict {
				return nil, errors.New("comments not allowed")
			}
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		out[k] = v
	}
	return out, sc.Err()
}
