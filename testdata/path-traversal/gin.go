package files

import (
	"net/http"
	"os"
	"path/filepath"

	"github.com/gin-gonic/gin"
)

// download serves a file named in the query string through gin.
func download(c *gin.Context) {
	name := c.Query("file")
	c.File(filepath.Join(root, name)) // want `name \(request data of handler download\) reaches File at line 14 without a containment check`
}

// downloadLocal checks the name first.
func downloadLocal(c *gin.Context) {
	name := c.Query("file")
	if !filepath.IsLocal(name) {
		c.Status(http.StatusBadRequest)
		return
	}
	c.File(filepath.Join(root, name))
}

// remove deletes the file named by a path parameter.
func remove(c *gin.Context) {
	os.Remove(filepath.Join(root, c.Param("name"))) // want `reaches os.Remove at line 29`
}
