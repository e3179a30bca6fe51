// Command variants writes transformed copies of Go fixture packages, each meaning the same as
// its source, so that a test can check a rule gives every copy the verdict it gives the source.
//
//	variants OUT DIR...
//
// For the i-th DIR (a folder holding one package's .go files, each line that must be reported
// carrying `// want "regexp"`) it writes OUT/<i>/<kind>/ for each kind below that changes
// something, and prints "<i>\t<kind>\tDIR" per copy written:
//
//   - rename: every identifier the package declares (types, functions, methods, fields,
//     variables, constants, parameters) gets a neutral name, consistently; names Go or the
//     standard library give a meaning (String, Error, Close, Lock, Wait, main, ...) are kept.
//   - split: each file with two or more declarations has its second half moved into a file of
//     its own, with the imports each part needs.
//   - method: every plain function used only in the methods of one type becomes a method of
//     that type, called on the caller's receiver.
//   - closure: an unexported function used in one other function only becomes a closure
//     declared at the top of that function.
//   - insert: unrelated statements (a call of a no-op function, a branch on a package flag) at
//     the start of every function body and loop body and before each return.
//
// The `// want` patterns are carried along: a renamed identifier in them matches either name,
// and `line N` matches any line (the lines move; the source fixture checks them).
package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: variants OUT DIR...")
		os.Exit(2)
	}
	out := os.Args[1]
	imp := importer.ForCompiler(token.NewFileSet(), "source", nil)
	for i, dir := range os.Args[2:] {
		p, err := load(dir, imp)
		if err != nil {
			fmt.Fprintf(os.Stderr, "variants: %s: %v\n", dir, err)
			os.Exit(1)
		}
		for _, k := range kinds {
			files := k.make(p)
			if files == nil {
				continue
			}
			target := filepath.Join(out, strconv.Itoa(i), k.name)
			if err := write(target, files); err != nil {
				fmt.Fprintf(os.Stderr, "variants: %v\n", err)
				os.Exit(1)
			}
			fmt.Printf("%d\t%s\t%s\n", i, k.name, dir)
		}
	}
}

type kind struct {
	name string
	make func(*pkg) map[string][]byte
}

var kinds = []kind{
	{"rename", renamed},
	{"split", split},
	{"method", methods},
	{"closure", closures},
	{"insert", inserted},
}

// pkg is one fixture package, parsed and type-checked (errors tolerated: fixtures need not
// build).
type pkg struct {
	fset  *token.FileSet
	files []*ast.File
	names []string // base name of each file
	src   [][]byte
	info  *types.Info
	types *types.Package
}

func load(dir string, imp types.Importer) (*pkg, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	p := &pkg{fset: token.NewFileSet()}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		text, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(p.fset, e.Name(), text, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		p.files = append(p.files, f)
		p.names = append(p.names, e.Name())
		p.src = append(p.src, text)
	}
	if len(p.files) == 0 {
		return nil, fmt.Errorf("no .go files")
	}
	p.info = &types.Info{
		Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{},
	}
	conf := types.Config{Importer: imp, Error: func(error) {}}
	p.types, _ = conf.Check(p.files[0].Name.Name, p.fset, p.files, p.info)
	return p, nil
}

func write(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, text := range files {
		if nice, err := format.Source(text); err == nil {
			text = nice
		}
		if err := os.WriteFile(filepath.Join(dir, name), text, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func (p *pkg) offset(pos token.Pos) int { return p.fset.Position(pos).Offset }

// own is the object an identifier names when the package declares it (not an import, not a
// label), else nil.
func (p *pkg) own(id *ast.Ident) types.Object {
	obj := p.info.Defs[id]
	if obj == nil {
		obj = p.info.Uses[id]
	}
	if obj == nil || obj.Pkg() != p.types {
		return nil
	}
	switch obj.(type) {
	case *types.PkgName, *types.Label:
		return nil
	}
	return obj
}

// edit replaces src[from:to] with text.
type edit struct {
	from, to int
	text     string
}

func apply(src []byte, edits []edit) []byte {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].from < edits[j].from })
	var b bytes.Buffer
	at := 0
	for _, e := range edits {
		if e.from < at {
			continue // overlapping edits: the first one wins
		}
		b.Write(src[at:e.from])
		b.WriteString(e.text)
		at = e.to
	}
	b.Write(src[at:])
	return b.Bytes()
}

// --- want comments ---

var (
	wantRE   = regexp.MustCompile("// want (.*)$")
	quotedRE = regexp.MustCompile("\"((?:[^\"\\\\]|\\\\.)*)\"|`([^`]*)`")
	lineRE   = regexp.MustCompile(`^(?:line \d+|[\w.-]+\.go:\d+)$`)
	wordRE   = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
	tokenRE  = regexp.MustCompile(`line \d+|[\w.-]+\.go:\d+|[A-Za-z_][A-Za-z0-9_]*`)
)

// wants rewrites the `// want` patterns of a file: each word the map names matches itself or
// the pattern it maps to (a new name), and a line reference any line.
func wants(text []byte, renames map[string]string) []byte {
	lines := strings.Split(string(text), "\n")
	for i, line := range lines {
		m := wantRE.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		var pats []string
		for _, q := range quotedRE.FindAllStringSubmatch(line[m[2]:m[3]], -1) {
			pat := q[2]
			if q[1] != "" || strings.HasPrefix(q[0], "\"") {
				pat, _ = strconv.Unquote(q[0])
			}
			pats = append(pats, requote(widen(pat, renames)))
		}
		lines[i] = line[:m[2]] + strings.Join(pats, " ")
	}
	return []byte(strings.Join(lines, "\n"))
}

// anyLine matches a line of the same file or of another one (a split moves code between files).
const anyLine = `(?:line \d+|[\w.-]+\.go:\d+)`

func widen(pat string, renames map[string]string) string {
	var b strings.Builder
	at := 0
	for _, m := range tokenRE.FindAllStringIndex(pat, -1) {
		tok := pat[m[0]:m[1]]
		escaped := m[0] > 0 && pat[m[0]-1] == '\\'
		to, renamed := renames[tok]
		switch {
		case lineRE.MatchString(tok):
			to = anyLine
		case renamed && !escaped:
			to = "(?:" + tok + "|" + to + ")"
		default:
			continue
		}
		b.WriteString(pat[at:m[0]])
		b.WriteString(to)
		at = m[1]
	}
	b.WriteString(pat[at:])
	return b.String()
}

func requote(pat string) string {
	if !strings.Contains(pat, "`") {
		return "`" + pat + "`"
	}
	return strconv.Quote(pat)
}

// --- rename ---

// meaningful names keep their meaning: the language's, fmt's (String, Error), and the
// standard library's interfaces and idioms a reader and a rule rely on.
var meaningful = map[string]bool{
	"main": true, "init": true, "_": true, "String": true, "Error": true, "Unwrap": true,
	"Close": true, "Stop": true, "Shutdown": true, "Lock": true, "Unlock": true,
	"RLock": true, "RUnlock": true, "TryLock": true, "Wait": true, "Done": true, "Add": true,
	"Signal": true, "Broadcast": true, "ServeHTTP": true, "Read": true, "Write": true,
	"Err": true, "Deadline": true, "Value": true, "Len": true, "Less": true, "Swap": true,
	"Cancel": true,
}

func renamed(p *pkg) map[string][]byte {
	renames := map[string]string{}
	taken := map[string]bool{}
	for _, src := range p.src {
		for _, w := range wordRE.FindAllString(string(src), -1) {
			taken[w] = true
		}
	}
	n := 0
	fresh := func(obj types.Object) string {
		for {
			n++
			name := prefix(obj) + strconv.Itoa(n)
			if obj.Exported() {
				name = strings.ToUpper(name[:1]) + name[1:]
			}
			if !taken[name] {
				taken[name] = true
				return name
			}
		}
	}
	var ids []*ast.Ident
	for id := range p.info.Defs {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i].Pos() < ids[j].Pos() })
	for _, id := range ids {
		obj := p.own(id)
		if obj == nil || meaningful[id.Name] || renames[id.Name] != "" {
			continue
		}
		if v, ok := obj.(*types.Var); ok && v.Embedded() {
			continue // named after its type
		}
		renames[id.Name] = fresh(obj)
	}
	if len(renames) == 0 {
		return nil
	}
	out := map[string][]byte{}
	for i, f := range p.files {
		var edits []edit
		ast.Inspect(f, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			to, ok := renames[id.Name]
			if ok && p.own(id) != nil {
				edits = append(edits, edit{p.offset(id.Pos()), p.offset(id.End()), to})
			}
			return true
		})
		out[p.names[i]] = wants(apply(p.src[i], edits), renames)
	}
	return out
}

func prefix(obj types.Object) string {
	switch o := obj.(type) {
	case *types.TypeName:
		return "kind"
	case *types.Func:
		if o.Type().(*types.Signature).Recv() != nil {
			return "act"
		}
		return "op"
	case *types.Var:
		if o.IsField() {
			return "part"
		}
		return "val"
	case *types.Const:
		return "fixed"
	}
	return "name"
}

// --- split ---

func split(p *pkg) map[string][]byte {
	out := map[string][]byte{}
	moved := false
	for i, f := range p.files {
		var decls []ast.Decl
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
				continue
			}
			decls = append(decls, d)
		}
		if len(decls) < 2 {
			out[p.names[i]] = wants(p.src[i], nil)
			continue
		}
		moved = true
		keep, rest := decls[:len(decls)/2], decls[len(decls)/2:]
		first, second := p.splitFile(i, keep, rest)
		out[p.names[i]] = wants(first, nil)
		out[strings.TrimSuffix(p.names[i], ".go")+"_more.go"] = wants(second, nil)
	}
	if !moved {
		return nil
	}
	return out
}

// splitFile returns file i without the declarations of rest, and a new file holding them; each
// imports what its declarations use.
func (p *pkg) splitFile(i int, keep, rest []ast.Decl) ([]byte, []byte) {
	f, src := p.files[i], p.src[i]
	usedKeep, usedRest := p.importsUsed(keep), p.importsUsed(rest)
	var edits []edit
	var body bytes.Buffer
	for _, d := range rest {
		from, to := p.declSpan(src, d)
		body.Write(src[from:to])
		body.WriteString("\n")
		edits = append(edits, edit{from, to, ""})
	}
	var specs []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.IMPORT {
			continue
		}
		for _, s := range g.Specs {
			spec := s.(*ast.ImportSpec)
			text := string(src[p.offset(spec.Pos()):p.offset(spec.End())])
			side := spec.Name != nil && (spec.Name.Name == "_" || spec.Name.Name == ".")
			if usedRest[importName(spec)] {
				specs = append(specs, text)
			}
			if !side && !usedKeep[importName(spec)] {
				edits = append(edits, edit{p.offset(spec.Pos()), p.offset(spec.End()), ""})
			}
		}
	}
	var head bytes.Buffer
	for _, line := range strings.Split(string(src[:p.offset(f.Package)]), "\n") {
		if strings.HasPrefix(line, "//go:build") {
			head.WriteString(line + "\n\n")
		}
	}
	head.WriteString("package " + f.Name.Name + "\n\n")
	if len(specs) > 0 {
		head.WriteString("import (\n\t" + strings.Join(specs, "\n\t") + "\n)\n\n")
	}
	head.Write(body.Bytes())
	return fixEmptyImports(apply(src, edits)), head.Bytes()
}

var emptyImportRE = regexp.MustCompile(`(?m)^import\s*(\(\s*\))?\s*$`)

// fixEmptyImports drops an import declaration left with no spec.
func fixEmptyImports(src []byte) []byte {
	return emptyImportRE.ReplaceAll(src, nil)
}

func importName(spec *ast.ImportSpec) string {
	if spec.Name != nil {
		return spec.Name.Name
	}
	path, _ := strconv.Unquote(spec.Path.Value)
	return path[strings.LastIndex(path, "/")+1:]
}

// importsUsed names the imports the declarations refer to.
func (p *pkg) importsUsed(decls []ast.Decl) map[string]bool {
	used := map[string]bool{}
	for _, d := range decls {
		ast.Inspect(d, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok {
				if pn, ok := p.info.Uses[x].(*types.PkgName); ok {
					used[pn.Name()] = true
				} else if p.own(x) == nil {
					used[x.Name] = true // an import that did not resolve
				}
			}
			return true
		})
	}
	return used
}

// declSpan is a top-level declaration's text: from its doc comment to the end of its last line.
func (p *pkg) declSpan(src []byte, d ast.Decl) (int, int) {
	start := d.Pos()
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Doc != nil {
			start = d.Doc.Pos()
		}
	case *ast.GenDecl:
		if d.Doc != nil {
			start = d.Doc.Pos()
		}
	}
	from := p.offset(start)
	for from > 0 && src[from-1] != '\n' {
		from--
	}
	to := p.offset(d.End())
	for to < len(src) && src[to] != '\n' {
		to++
	}
	if to < len(src) {
		to++
	}
	return from, to
}

// --- method ---

// plainFuncs are the package's functions that can become methods or closures: no receiver, no
// type parameters, not main, init or a test.
func (p *pkg) plainFuncs() map[types.Object]*ast.FuncDecl {
	out := map[types.Object]*ast.FuncDecl{}
	for i, f := range p.files {
		if strings.HasSuffix(p.names[i], "_test.go") {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || fd.Type.TypeParams != nil || fd.Body == nil {
				continue
			}
			if fd.Name.Name == "main" || fd.Name.Name == "init" || fd.Name.Name == "_" {
				continue
			}
			if obj := p.info.Defs[fd.Name]; obj != nil {
				out[obj] = fd
			}
		}
	}
	return out
}

// methods makes each plain function used only inside the methods of one type (with named
// receivers) a method of that type, called on the caller's receiver: `drain(ch)` in
// `func (p *Pool) Sync()` becomes `p.drain(ch)`.
func methods(p *pkg) map[string][]byte {
	funcs := p.plainFuncs()
	owners := p.ownerTypes(funcs)
	if len(owners) == 0 {
		return nil
	}
	out := map[string][]byte{}
	for i, f := range p.files {
		var edits []edit
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if recv, ok := owners[p.info.Defs[fd.Name]]; ok {
				at := p.offset(fd.Name.Pos())
				edits = append(edits, edit{at, at, "(" + recv.typ + ") "})
				continue
			}
			ast.Inspect(fd, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					if _, owned := owners[p.info.Uses[id]]; owned {
						at := p.offset(id.Pos())
						edits = append(edits, edit{at, at, receiverName(fd) + "."})
					}
				}
				return true
			})
		}
		out[p.names[i]] = wants(apply(p.src[i], edits), nil)
	}
	return out
}

// receiver is the type a function moves to: its text in the receiver list (`*Pool`).
type receiver struct{ typ string }

// ownerTypes maps each plain function whose every use is in methods of one type, none of which
// declares a name the receiver's would collide with, to that type.
func (p *pkg) ownerTypes(funcs map[types.Object]*ast.FuncDecl) map[types.Object]receiver {
	owner := map[types.Object]receiver{}
	spoiled := map[types.Object]bool{}
	for i, f := range p.files {
		for _, d := range f.Decls {
			fd, _ := d.(*ast.FuncDecl)
			typ, named := p.receiverType(i, fd), false
			if typ != "" {
				named = receiverName(fd) != "_"
			}
			ast.Inspect(d, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				if !ok || funcs[p.info.Uses[id]] == nil {
					return true
				}
				obj := p.info.Uses[id]
				if !named || declares(fd, receiverName(fd)) && !isReceiver(fd, receiverName(fd)) {
					spoiled[obj] = true
				} else if prev, seen := owner[obj]; seen && strings.TrimPrefix(prev.typ, "*") != strings.TrimPrefix(typ, "*") {
					spoiled[obj] = true
				} else if !seen {
					owner[obj] = receiver{typ}
				}
				return true
			})
		}
	}
	for obj := range spoiled {
		delete(owner, obj)
	}
	for obj := range owner {
		if usesName(funcs[obj], receiverNames(p, owner[obj])) {
			delete(owner, obj)
		}
	}
	return owner
}

func receiverName(fd *ast.FuncDecl) string { return fd.Recv.List[0].Names[0].Name }

// receiverType is the text of a method's receiver type (`*Pool`) when its receiver is named,
// else "" (a function, or `func (*Pool) m()`); fd may be nil (a declaration that is not a
// function).
func (p *pkg) receiverType(file int, fd *ast.FuncDecl) string {
	if fd == nil || fd.Recv == nil || len(fd.Recv.List[0].Names) != 1 {
		return ""
	}
	t := fd.Recv.List[0].Type
	return string(p.src[file][p.offset(t.Pos()):p.offset(t.End())])
}

// isReceiver says whether the only declaration of name in fd is its receiver.
func isReceiver(fd *ast.FuncDecl, name string) bool {
	count := 0
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name && id.Obj != nil && id.Obj.Decl != nil {
			if field, ok := id.Obj.Decl.(*ast.Field); !ok || field != fd.Recv.List[0] {
				count++
			}
		}
		return true
	})
	return count == 0
}

// receiverNames are the receiver names the methods of r's type use.
func receiverNames(p *pkg, r receiver) map[string]bool {
	names := map[string]bool{}
	base := strings.TrimPrefix(r.typ, "*")
	for i, f := range p.files {
		for _, d := range f.Decls {
			fd, _ := d.(*ast.FuncDecl)
			if typ := p.receiverType(i, fd); typ != "" && strings.TrimPrefix(typ, "*") == base {
				names[receiverName(fd)] = true
			}
		}
	}
	return names
}

// usesName says whether a function mentions one of the names (it would be shadowed by, or
// shadow, the receiver it gets).
func usesName(fd *ast.FuncDecl, names map[string]bool) bool {
	found := false
	ast.Inspect(fd, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && names[id.Name] {
			found = true
		}
		return !found
	})
	return found
}

// --- closure ---

func closures(p *pkg) map[string][]byte {
	funcs := p.plainFuncs()
	users := p.singleUsers(funcs)
	if len(users) == 0 {
		return nil
	}
	edits := make([][]edit, len(p.files))
	for fn, user := range users {
		decl := funcs[fn]
		fi, ui := p.fileOf(decl), p.fileOf(user)
		if fi != ui {
			continue // its imports stay with its file
		}
		src := p.src[fi]
		from, to := p.declSpan(src, decl)
		edits[fi] = append(edits[fi], edit{from, to, ""})
		lit := fn.Name() + " := func" + string(src[p.offset(decl.Type.Params.Pos()):p.offset(decl.Body.End())])
		if decl.Doc != nil {
			lit = string(src[p.offset(decl.Doc.Pos()):p.offset(decl.Doc.End())]) + "\n" + lit
		}
		at := p.offset(user.Body.Lbrace) + 1
		edits[ui] = append(edits[ui], edit{at, at, "\n" + lit + "\n"})
	}
	out := map[string][]byte{}
	for i := range p.files {
		out[p.names[i]] = wants(apply(p.src[i], edits[i]), nil)
	}
	return out
}

// singleUsers maps each unexported function used (only) inside one other top-level function,
// which declares nothing of the same name and is not itself turned into a closure, to that
// function.
func (p *pkg) singleUsers(funcs map[types.Object]*ast.FuncDecl) map[types.Object]*ast.FuncDecl {
	userOf := map[types.Object]*ast.FuncDecl{}
	spoiled := map[types.Object]bool{}
	for _, f := range p.files {
		for _, d := range f.Decls {
			fd, _ := d.(*ast.FuncDecl)
			ast.Inspect(d, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				if !ok {
					return true
				}
				obj := p.info.Uses[id]
				if obj == nil || funcs[obj] == nil {
					return true
				}
				switch {
				case fd == nil || funcs[obj] == fd:
					spoiled[obj] = true // used at package level, or recursive
				case userOf[obj] == nil:
					userOf[obj] = fd
				case userOf[obj] != fd:
					spoiled[obj] = true
				}
				return true
			})
		}
	}
	out := map[types.Object]*ast.FuncDecl{}
	for obj, user := range userOf {
		if spoiled[obj] || obj.Exported() || declares(user, obj.Name()) {
			continue
		}
		out[obj] = user
	}
	for obj, user := range out {
		if uobj := p.info.Defs[user.Name]; uobj != nil && out[uobj] != nil {
			delete(out, obj) // its user moves too
		}
	}
	return out
}

func declares(fd *ast.FuncDecl, name string) bool {
	found := false
	ast.Inspect(fd, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name && id.Obj != nil && id != fd.Name {
			if id.Obj.Decl != nil && id.Obj.Kind != ast.Fun {
				found = true
			}
		}
		return !found
	})
	return found
}

func (p *pkg) fileOf(d ast.Decl) int {
	for i, f := range p.files {
		if f.Pos() <= d.Pos() && d.Pos() < f.End() {
			return i
		}
	}
	return 0
}

// --- insert ---

const (
	noteFunc = "noteVariant"
	flagVar  = "traceVariant"
)

func inserted(p *pkg) map[string][]byte {
	out := map[string][]byte{}
	for i, f := range p.files {
		src := p.src[i]
		var edits []edit
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if n.Body != nil {
					edits = append(edits, p.atBlockStart(src, n.Body, noteFunc+"(\""+n.Name.Name+"\")"))
				}
			case *ast.FuncLit:
				edits = append(edits, p.atBlockStart(src, n.Body, noteFunc+"(\"literal\")"))
			case *ast.ForStmt:
				edits = append(edits, p.atBlockStart(src, n.Body, "if "+flagVar+" { println(\"loop\") }"))
			case *ast.RangeStmt:
				edits = append(edits, p.atBlockStart(src, n.Body, "if "+flagVar+" { println(\"range\") }"))
			case *ast.ReturnStmt:
				if e, ok := p.beforeLine(src, n, noteFunc+"(\"return\")"); ok {
					edits = append(edits, e)
				}
			}
			return true
		})
		text := apply(src, edits)
		if i == 0 {
			text = append(text, []byte("\nvar "+flagVar+" = false\n\nfunc "+noteFunc+"(string) {}\n")...)
		}
		out[p.names[i]] = wants(text, nil)
	}
	return out
}

// atBlockStart puts a statement first in a block: on a line of its own after the brace's line,
// or after the brace when the block or its line goes on with code.
func (p *pkg) atBlockStart(src []byte, b *ast.BlockStmt, stmt string) edit {
	at := p.offset(b.Lbrace) + 1
	end := at
	for end < len(src) && src[end] != '\n' {
		end++
	}
	rest := strings.TrimSpace(string(src[at:end]))
	if rest == "" || strings.HasPrefix(rest, "//") {
		if end < len(src) {
			end++
		}
		return edit{end, end, stmt + "\n"}
	}
	return edit{at, at, " " + stmt + ";"}
}

// beforeLine puts a statement on a line of its own before n, when n starts its line.
func (p *pkg) beforeLine(src []byte, n ast.Node, stmt string) (edit, bool) {
	at := p.offset(n.Pos())
	from := at
	for from > 0 && (src[from-1] == ' ' || src[from-1] == '\t') {
		from--
	}
	if from > 0 && src[from-1] != '\n' {
		return edit{}, false
	}
	return edit{from, from, stmt + "\n"}, true
}
