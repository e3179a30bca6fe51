package reader

type Reader struct {
	ready chan struct{}
	data  []byte
}

func NewReader() *Reader { return &Reader{ready: make(chan struct{})} }

func (r *Reader) Open(b []byte) {
	r.data = b // should signal readers here
}

func (r *Reader) Read() []byte {
	<-r.ready // want `<-r.ready blocks forever: nothing in the package sends on or closes Reader.ready`
	return r.data
}
