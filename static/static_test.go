package static

import (
	"regexp"
	"testing"
	"testing/fstest"
)

// TestHash checks the version changes with any file's content or name and
// with nothing else, so a new script always gets a new URL and an unchanged
// tree keeps the browsers' copies.
func TestHash(t *testing.T) {
	base := func() fstest.MapFS {
		return fstest.MapFS{
			"style.css":     {Data: []byte("body{}")},
			"door/main.js":  {Data: []byte("import './ui.js';")},
			"door/ui.js":    {Data: []byte("export {};")},
			"vendor/a/x.js": {Data: []byte("x")},
		}
	}
	v0, err := Hash(base())
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(v0) || !IsVersion(v0) {
		t.Fatalf("version %q: want 16 lower-case hex digits", v0)
	}
	if again, _ := Hash(base()); again != v0 {
		t.Fatalf("same files, versions %s and %s", v0, again)
	}
	changes := map[string]func(fstest.MapFS){
		"content":    func(m fstest.MapFS) { m["door/ui.js"] = &fstest.MapFile{Data: []byte("export {}; ")} },
		"rename":     func(m fstest.MapFS) { m["door/ui2.js"] = m["door/ui.js"]; delete(m, "door/ui.js") },
		"new file":   func(m fstest.MapFS) { m["door/new.js"] = &fstest.MapFile{Data: nil} },
		"removed":    func(m fstest.MapFS) { delete(m, "vendor/a/x.js") },
		"moved byte": func(m fstest.MapFS) { m["style.css"].Data = []byte("body{}x"); m["vendor/a/x.js"].Data = nil },
	}
	for name, change := range changes {
		m := base()
		change(m)
		v, err := Hash(m)
		if err != nil {
			t.Fatal(err)
		}
		if v == v0 {
			t.Errorf("%s: version stayed %s", name, v)
		}
	}
	if !IsVersion(Version) {
		t.Fatalf("Version %q", Version)
	}
	if got := URL("door/main.js"); got != "/static/"+Version+"/door/main.js" {
		t.Fatalf("URL = %q", got)
	}
	for _, s := range []string{"", "vendor", "door", "0123456789ABCDEF", "0123456789abcde", "0123456789abcdef0"} {
		if IsVersion(s) {
			t.Errorf("IsVersion(%q)", s)
		}
	}
}
