// Package tui is the terminal front end's state machine: it turns key
// presses into state changes and into commands for the runtime.
package tui

import "strconv"

// KeyCode identifies a key that does not produce text, or KeyRune for one
// that does.
type KeyCode int

// The keys the front end distinguishes.
const (
	KeyRune KeyCode = iota
	KeyEnter
	KeyEsc
	KeyTab
	KeyBackspace
	KeyUp
	KeyDown
	KeyLeft
	KeyRight
	KeyPgUp
	KeyPgDown
)

// Key is one key press with its modifiers.
type Key struct {
	Code  KeyCode
	Rune  rune
	Ctrl  bool
	Alt   bool
	Shift bool
}

// String renders k the way the help screen shows it: "ctrl+s", "alt+enter",
// "shift+tab", "space".
func (k Key) String() string {
	prefix := ""
	if k.Ctrl {
		prefix += "ctrl+"
	}
	if k.Alt {
		prefix += "alt+"
	}
	if k.Shift && k.Code != KeyRune {
		prefix += "shift+"
	}

	switch k.Code {
	case KeyEnter:
		return prefix + "enter"
	case KeyEsc:
		return prefix + "esc"
	case KeyTab:
		return prefix + "tab"
	case KeyBackspace:
		return prefix + "backspace"
	case KeyUp:
		return prefix + "up"
	case KeyDown:
		return prefix + "down"
	case KeyLeft:
		return prefix + "left"
	case KeyRight:
		return prefix + "right"
	case KeyPgUp:
		return prefix + "pgup"
	case KeyPgDown:
		return prefix + "pgdown"
	case KeyRune:
		if k.Rune == ' ' {
			return prefix + "space"
		}
		return prefix + string(k.Rune)
	}
	return prefix + "key(" + strconv.Itoa(int(k.Code)) + ")"
}
