package sync

import "errors"

// Item is something to synchronise.
type Item struct {
	Dirty    bool
	Optional bool
	Deps     []Dep
}

// Dep is a dependency of an item.
type Dep struct{ Missing, Stale bool }

// SyncAll nests loops and conditions: each level costs more.
func SyncAll(items []Item) error { // want "^SyncAll: cognitive complexity 12 \\(threshold 6\\): flatten the nesting or extract helpers$"
	for _, it := range items { // +1
		if it.Dirty { // +2 (nesting 1)
			for _, dep := range it.Deps { // +3 (nesting 2)
				if dep.Missing && !it.Optional || dep.Stale { // +4 (nesting 3), +2 for && then ||
					return errors.New("dependency not ready")
				}
			}
		}
	}
	return nil
}

// SyncFlat is the fixed shape: early continues and a helper keep nesting low.
func SyncFlat(items []Item) error {
	for _, it := range items {
		if !it.Dirty {
			continue
		}
		if err := checkDeps(it); err != nil {
			return err
		}
	}
	return nil
}

func checkDeps(it Item) error {
	for _, dep := range it.Deps {
		if dep.Missing && !it.Optional || dep.Stale {
			return errors.New("dependency not ready")
		}
	}
	return nil
}

// Walk recurses and uses labeled jumps and else branches.
func Walk(n int, seen map[int]bool) int { // want "^Walk: cognitive complexity 11 "
	total := 0
outer:
	for i := 0; i < n; i++ {
		if seen[i] {
			continue outer
		} else if i%2 == 0 {
			total += Walk(i/2, seen)
		} else {
			switch {
			case i > 10:
				break outer
			}
		}
	}
	return total
}

// Flat is a long switch: many cases, little nesting, low cognitive complexity.
func Flat(code int) string {
	switch code {
	case 1:
		return "one"
	case 2:
		return "two"
	case 3:
		return "three"
	case 4:
		return "four"
	case 5:
		return "five"
	case 6:
		return "six"
	case 7:
		return "seven"
	}
	return "many"
}

// SyncLegacy keeps old nested logic on purpose; gocognit's directive skips it.
//
//gocognit:ignore
func SyncLegacy(items []Item) bool {
	for _, it := range items {
		if it.Dirty {
			for _, dep := range it.Deps {
				if dep.Missing && !it.Optional || dep.Stale {
					return false
				}
			}
		}
	}
	return true
}
