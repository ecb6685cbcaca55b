// Package static holds the CSS, scripts and images the pages use, embedded
// in the binary. Third-party code is vendored here with its licence.
package static

import "embed"

// FS is the embedded static files, served under /static/. vendor/ holds
// third-party code from npm with each package's licence beside it.
//
//go:embed *.css *.js vendor
var FS embed.FS
