// Package shards: a sharded map finds a key's bucket through a method and locks it under the
// map's lock; a bucket's eviction updates the map's counters under the bucket's lock.
package shards

import "sync"

type Bucket struct {
	mu    sync.Mutex
	items map[string][]byte
	owner *Shards
}

type Shards struct {
	mu      sync.RWMutex
	buckets []*Bucket
	size    int
}

func (s *Shards) bucket(key string) *Bucket {
	return s.buckets[len(key)%len(s.buckets)]
}

func (s *Shards) Put(key string, v []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.bucket(key)
	b.mu.Lock()
	b.items[key] = v
	b.mu.Unlock()
	s.size++
}

func (b *Bucket) evict(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.items, key)
	owner := b.owner
	owner.mu.Lock() // want `Bucket.evict takes owner.mu at line 38 while holding b.mu \(locked at line 34\); Shards.Put takes them in the opposite order`
	owner.size--
	owner.mu.Unlock()
}
