package fixture

import (
	"errors"
	"io"
	"log"
	"net/http"
	"os"
)

// saveKey leaks its file only when writing bytes it holds fails: a full disk, once.
func saveKey(key []byte) (string, error) {
	f, err := os.CreateTemp("", "key")
	if err != nil {
		return "", err
	}
	if _, err := f.Write(key); err != nil {
		return "", err // want `f opened at line 13 is not closed when f.Write fails \(return at line 18\) \(only when a write fails`
	}
	return f.Name(), f.Close()
}

// download leaks its file whenever the network drops during the copy: not minor.
func download(dst string, r io.Reader) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		return err // want `f opened at line 25 is not closed when io.Copy fails \(return at line 30\)$`
	}
	return f.Close()
}

// token reads the whole body before its status check returns without closing it: the
// connection went back to the pool at the body's end, and the other path closes it.
func token(client *http.Client, req *http.Request) (string, error) {
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	s, err := readBody(resp.Body)
	if err != nil {
		log.Printf("reading the body: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", errors.New(resp.Status) // want `resp.Body from client.Do at line 38 is not closed when resp.StatusCode != http.StatusOK \(return at line 47\) \(only after its body was read to the end`
	}
	defer resp.Body.Close()
	return s, nil
}

func readBody(r io.Reader) (string, error) {
	b, err := io.ReadAll(r)
	return string(b), err
}

// status never closes the body: reading it is not enough when no path closes it.
func status(client *http.Client, req *http.Request) (string, error) {
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", errors.New(resp.Status) // want `resp.Body from client.Do at line 60 is not closed when resp.StatusCode != http.StatusOK \(return at line 65\); also leaks at line 69, 71$`
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// body returns on a failed read without closing: that read did not reach the body's end.
func body(client *http.Client, req *http.Request) ([]byte, error) {
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err // want `resp.Body from client.Do at line 76 is not closed when io.ReadAll fails \(return at line 82\)$`
	}
	resp.Body.Close()
	return b, nil
}
