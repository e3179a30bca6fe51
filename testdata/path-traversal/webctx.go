package files

import (
	"net/http"
	"os"
	"path/filepath"
)

// Base is a web framework's request context, like gitea's: the request is a field.
type Base struct {
	Resp http.ResponseWriter
	Req  *http.Request
}

// FormString reads a form value.
func (b *Base) FormString(key string) string { return b.Req.FormValue(key) }

// Params reads a path parameter.
func (b *Base) Params(key string) string { return b.Req.PathValue(key) }

// Context embeds the base, as gitea's *context.Context embeds *Base.
type Context struct {
	*Base
	RepoPath string
}

// ServeRaw serves a file named by a form value of the framework's context.
func ServeRaw(ctx *Context) {
	name := ctx.FormString("path")
	http.ServeFile(ctx.Resp, ctx.Req, filepath.Join(ctx.RepoPath, name)) // want `name \(request data of handler ServeRaw\) reaches http.ServeFile`
}

// ServeRawLocal checks the name first.
func ServeRawLocal(ctx *Context) {
	name := ctx.FormString("path")
	if !filepath.IsLocal(name) {
		ctx.Resp.WriteHeader(http.StatusBadRequest)
		return
	}
	http.ServeFile(ctx.Resp, ctx.Req, filepath.Join(ctx.RepoPath, name))
}

// DeleteHook removes a hook named by the request's own query, read through ctx.Req.
func DeleteHook(ctx *Context) {
	os.Remove(filepath.Join(ctx.RepoPath, "hooks", ctx.Req.URL.Query().Get("hook"))) // want `reaches os.Remove`
}

// RepoFile reads a file of the repository: the context's own fields are not request data.
func RepoFile(ctx *Context) ([]byte, error) {
	return os.ReadFile(filepath.Join(ctx.RepoPath, "config"))
}
