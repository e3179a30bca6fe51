package session

// Cache is safe for concurrent use by multiple goroutines.
type Cache struct {
	entries map[string]string
}

func (c *Cache) Put(k, v string) {
	c.entries[k] = v // want `c.entries \(map field of Cache\) is written in Put .*Cache is documented as safe for concurrent use`
}

// LRU is not safe for concurrent use; its owner locks around it.
type LRU struct {
	m map[string]int
}

func (l *LRU) Add(k string) { l.m[k]++ }

// Once runs its worker in one goroutine, beside a caller that does not touch the state.
type Once struct {
	seen map[string]bool
}

func (o *Once) Start(keys []string) {
	go o.mark(keys)
}

func (o *Once) mark(keys []string) {
	for _, k := range keys {
		o.seen[k] = true
	}
}

// Greeter is a gRPC service: every exported method runs concurrently.
type Greeter struct {
	UnimplementedGreeterServer
	count int
}

type UnimplementedGreeterServer struct{}

func (g *Greeter) SayHello(name string) string {
	g.count++ // want `g.count \(counter field of Greeter\) is written in SayHello .*Greeter is a gRPC service`
	return "hello " + name
}
