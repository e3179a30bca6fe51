package warm

import "sync"

func warm(string) {}

func WarmAll(keys []string) {
	var wg sync.WaitGroup
	wg.Add(len(keys))
	for _, k := range keys {
		go func(k string) {
			defer wg.Done()
			warm(k)
		}(k)
		wg.Wait() // want `wg.Wait\(\) at line 15 is inside the loop that starts the goroutines \(go at line 11\): wg.Add\(len\(keys\)\) at line 9 counted all of them`
	}
}
