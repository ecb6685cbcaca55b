package web

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestValidJSONText(t *testing.T) {
	for _, tc := range []struct {
		give string
		want bool
	}{
		{`{"name":"Ana"}`, true},
		{`{"name":"李白 Zoë"}`, true},
		{`{"name":"\ud83d\ude00"}`, true}, // an escaped surrogate pair is one emoji
		{`{"name":"\uD83D\uDE00x"}`, true},
		{`{"name":"\ufffd"}`, true},   // the replacement character sent on purpose
		{`{"name":"a\\ud800"}`, true}, // an escaped backslash, then plain text
		{`{"name":"\"\ud800"}`, false},
		{`{"name":"B` + "\xff" + `"}`, false},
		{"{\"name\":\"\xc3\"}", false},
		{`{"name":"\ud800"}`, false},
		{`{"name":"\udc00"}`, false},
		{`{"name":"\ud800\u0041"}`, false},
		{`{"name":"\ud800\ud800"}`, false},
		{`{"name":"\ud800`, false},
		{`{"name":"\u12"}`, true}, // malformed: left to the decoder
	} {
		if got := validJSONText([]byte(tc.give)); got != tc.want {
			t.Errorf("validJSONText(%s) = %v, want %v", tc.give, got, tc.want)
		}
	}
}

// FuzzValidJSONText: whatever passes decodes to exactly the text it
// carries, so no U+FFFD appears that the body did not hold or escape.
func FuzzValidJSONText(f *testing.F) {
	for _, s := range []string{`{"name":"Ana"}`, `{"name":"\ud83d\ude00"}`, `{"n":"\ud800"}`, "{\"n\":\"\xff\"}", `["\\", "\"\udc00"]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !validJSONText(b) || !json.Valid(b) {
			return
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("valid JSON not decoded: %v", err)
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(out), "\ufffd") && !strings.Contains(string(b), "\ufffd") &&
			!strings.Contains(strings.ToLower(string(b)), `\ufffd`) {
			t.Fatalf("%q passed but decodes with a replacement character: %s", b, out)
		}
	})
}
