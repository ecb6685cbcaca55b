// Package static holds the CSS, scripts and images the pages use, embedded
// in the binary. Third-party code is vendored here with its licence.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
)

// FS is the embedded static files, served under /static/. door/ holds the
// door page's modules; vendor/ holds third-party code from npm with each
// package's licence beside it.
//
//go:embed *.css *.js door vendor
var FS embed.FS

// versionLen is how many hex digits of the hash a version keeps: 64 bits
// tell apart any two builds anyone will ever deploy.
const versionLen = 16

// Version names the content of FS. Pages link static files under it
// (URL), so every change to any file gives every file a new URL, and the
// files under one version can be cached forever. One version for the whole
// tree rather than a hash per file keeps relative URLs between files
// (an ES module's imports, a worker's importScripts) pointing at files of
// the same build without rewriting them.
var Version = mustHash(FS)

func mustHash(fsys fs.FS) string {
	v, err := Hash(fsys)
	if err != nil {
		panic("static: " + err.Error()) // an embedded FS does not fail to read
	}
	return v
}

// Hash returns the version of the files in fsys: a SHA-256 over every
// file's path and content, in WalkDir's fixed order, cut to versionLen hex
// digits.
func Hash(fsys fs.FS) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		// The lengths keep "a"+"bc" and "ab"+"c" apart.
		fmt.Fprintf(h, "%d:%s\x00%d:", len(p), p, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:versionLen], nil
}

// IsVersion says whether s has the form of a version, so a URL under some
// other build's version can be told from a directory name.
func IsVersion(s string) bool {
	if len(s) != versionLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// URL is the address of the static file name (a path inside FS) under the
// current version.
func URL(name string) string { return "/static/" + Version + "/" + name }
