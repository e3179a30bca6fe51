package hub

func (h *Hub) record(e string) {
	h.mu.Lock()
	h.log = append(h.log, e)
	h.mu.Unlock()
}
