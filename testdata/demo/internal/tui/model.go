package tui

import (
	"strings"
	"unicode/utf8"
)

// Mode is the screen the front end shows.
type Mode int

const (
	ModeChat Mode = iota
	ModeSessions
	ModeHelp
)

// CmdKind is what the runtime should do after a key press.
type CmdKind int

const (
	CmdNone CmdKind = iota
	CmdQuit
	CmdSubmit
	CmdCancelRun
	CmdNewSession
	CmdOpenSession
	CmdAllow
	CmdAllowAlways
	CmdDeny
)

// Cmd is a command for the runtime with its argument, if any.
type Cmd struct {
	Kind CmdKind
	Arg  string
}

// PermissionRequest asks the user whether a tool may run.
type PermissionRequest struct {
	Tool        string
	Description string
	// Persistent requests may be allowed for the rest of the session.
	Persistent bool
}

// Model is the front end's state. It is owned by the UI goroutine.
type Model struct {
	mode Mode

	input  []rune
	cursor int

	history    []string
	historyPos int
	// draft is the unsent input saved while browsing the history.
	draft string

	sessions []string
	selected int

	permission *PermissionRequest
	running    bool
	quitArmed  bool
	status     string
}

// NewModel returns a model in chat mode listing sessions.
func NewModel(sessions []string) *Model {
	return &Model{sessions: sessions}
}

// Update applies one key press and returns the command for the runtime.
func (m *Model) Update(k Key) Cmd {
	m.status = ""
	return m.handleKeyPress(k)
}

// RequestPermission shows a permission prompt until the user answers it.
func (m *Model) RequestPermission(req PermissionRequest) {
	m.permission = &req
}

// RunFinished is called when the model's answer is complete.
func (m *Model) RunFinished() {
	m.running = false
}

func (m *Model) handleKeyPress(k Key) Cmd {
	if k.Ctrl && k.Rune == 'c' {
		return m.interrupt()
	}
	m.quitArmed = false

	if m.permission != nil {
		req := m.permission
		switch {
		case k.Rune == 'y':
			m.permission = nil
			return Cmd{Kind: CmdAllow, Arg: req.Tool}
		case k.Rune == 'a':
			if !req.Persistent {
				m.status = "this permission cannot be remembered"
				return Cmd{}
			}
			m.permission = nil
			return Cmd{Kind: CmdAllowAlways, Arg: req.Tool}
		case k.Rune == 'n':
			m.permission = nil
			return Cmd{Kind: CmdDeny, Arg: req.Tool}
		}
		return Cmd{}
	}

	switch m.mode {
	case ModeHelp:
		if k.Code == KeyEsc {
			m.mode = ModeChat
		}
	case ModeSessions:
		return m.handleSessionsKey(k)
	case ModeChat:
		switch {
		case k.Code == KeyEnter:
			if k.Alt {
				m.insert('\n')
				break
			}
			text := strings.TrimSpace(string(m.input))
			if text == "" {
				return Cmd{}
			}
			if m.running {
				m.status = "wait for the answer, or press ctrl+c to cancel it"
				return Cmd{}
			}
			m.pushHistory(text)
			m.setInput("")
			m.draft = ""
			m.running = true
			return Cmd{Kind: CmdSubmit, Arg: text}
		case k.Code == KeyUp:
			if m.historyPos > 0 {
				if m.historyPos == len(m.history) {
					m.draft = string(m.input)
				}
				m.historyPos--
				m.setInput(m.history[m.historyPos])
			}
		case k.Code == KeyDown:
			if m.historyPos < len(m.history)-1 {
				m.historyPos++
				m.setInput(m.history[m.historyPos])
			} else {
				m.historyPos = len(m.history)
				m.setInput(m.draft)
			}
		case k.Code == KeyBackspace:
			m.deleteBack()
		case k.Ctrl:
			switch k.Rune {
			case 'n':
				return Cmd{Kind: CmdNewSession}
			case 's':
				m.mode = ModeSessions
			}
		case k.Rune == '?' && len(m.input) == 0:
			m.mode = ModeHelp
		case k.Code == KeyRune:
			m.insert(k.Rune)
		}
	}
	return Cmd{}
}

// interrupt handles ctrl+c: it cancels a running answer, and otherwise asks
// for a second ctrl+c before quitting.
func (m *Model) interrupt() Cmd {
	if m.running {
		m.running = false
		m.status = "run cancelled"
		return Cmd{Kind: CmdCancelRun}
	}
	if m.quitArmed {
		return Cmd{Kind: CmdQuit}
	}
	m.quitArmed = true
	m.status = "press ctrl+c again to quit"
	return Cmd{}
}

// handleSessionsKey moves through the session list and opens a session.
func (m *Model) handleSessionsKey(k Key) Cmd {
	switch k.Code {
	case KeyUp:
		if m.selected > 0 {
			m.selected--
		}
	case KeyDown:
		if m.selected < len(m.sessions)-1 {
			m.selected++
		}
	case KeyEnter:
		if len(m.sessions) == 0 {
			return Cmd{}
		}
		m.mode = ModeChat
		return Cmd{Kind: CmdOpenSession, Arg: m.sessions[m.selected]}
	case KeyEsc:
		m.mode = ModeChat
	}
	return Cmd{}
}

func (m *Model) insert(r rune) {
	m.input = append(m.input, 0)
	copy(m.input[m.cursor+1:], m.input[m.cursor:])
	m.input[m.cursor] = r
	m.cursor++
}

func (m *Model) deleteBack() {
	if m.cursor == 0 {
		return
	}
	m.input = append(m.input[:m.cursor-1], m.input[m.cursor:]...)
	m.cursor--
}

func (m *Model) setInput(s string) {
	m.input = []rune(s)
	m.cursor = utf8.RuneCountInString(s)
}

// maxHistory is how many sent messages Up and Down can recall.
const maxHistory = 100

func (m *Model) pushHistory(text string) {
	if n := len(m.history); n == 0 || m.history[n-1] != text {
		m.history = append(m.history, text)
	}
	if len(m.history) > maxHistory {
		m.history = m.history[len(m.history)-maxHistory:]
	}
	m.historyPos = len(m.history)
}
