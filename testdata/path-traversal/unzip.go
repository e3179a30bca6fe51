package files

import (
	"archive/tar"
	"archive/zip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Unzip extracts every entry under dest: an entry named ../../etc/cron.d/x escapes.
func Unzip(zr *zip.Reader, dest string) error {
	for _, f := range zr.File {
		path := filepath.Join(dest, f.Name)
		if f.FileInfo().IsDir() {
			os.MkdirAll(path, 0o755) // want `zip slip: f.Name \(archive entry name\) reaches os.MkdirAll`
			continue
		}
		out, err := os.Create(path) // want `zip slip: f.Name \(archive entry name\) reaches os.Create at line 21`
		if err != nil {
			return err
		}
		rc, err := f.Open()
		if err != nil {
			out.Close()
			return err
		}
		_, err = io.Copy(out, rc)
		rc.Close()
		out.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// UnzipSafe checks that each entry stays under dest.
func UnzipSafe(zr *zip.Reader, dest string) error {
	for _, f := range zr.File {
		path := filepath.Join(dest, f.Name)
		if !strings.HasPrefix(path, filepath.Clean(dest)+string(os.PathSeparator)) {
			return errors.New("illegal file path: " + f.Name)
		}
		out, err := os.Create(path)
		if err != nil {
			return err
		}
		out.Close()
	}
	return nil
}

// Untar extracts a tar stream.
func Untar(r io.Reader, dest string) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err != nil {
			return err
		}
		target := filepath.Join(dest, hdr.Name)
		f, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY, os.FileMode(hdr.Mode)) // want `zip slip: hdr.Name \(archive entry name\) reaches os.OpenFile`
		if err != nil {
			return err
		}
		f.Close()
	}
}

// UntarLocal refuses non-local names.
func UntarLocal(r io.Reader, dest string) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err != nil {
			return err
		}
		if !filepath.IsLocal(hdr.Name) {
			return errors.New("bad entry")
		}
		f, err := os.Create(filepath.Join(dest, hdr.Name))
		if err != nil {
			return err
		}
		f.Close()
	}
}
