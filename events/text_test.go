package events_test

import (
	"testing"

	"salon/events"
)

func TestCheckLine(t *testing.T) {
	for _, tc := range []struct {
		name     string
		give     string
		min      int
		want     string // "" for accepted
		accepted bool
	}{
		{name: "plain", give: "Ana Lima", min: 1, accepted: true},
		{name: "chinese", give: "李白", min: 1, accepted: true},
		{name: "diaeresis", give: "Zoë", min: 1, accepted: true},
		{name: "apostrophe", give: "O'Neil", min: 1, accepted: true},
		{name: "lone quote and comma", give: `Li, "Bo`, min: 1, accepted: true},
		{name: "literal encoded word", give: "=?utf-8?q?Admin?=", min: 1, accepted: true},
		{name: "zero-width joiner inside an emoji", give: "Ana 👩\u200d💻", min: 1, accepted: true},
		{name: "zero-width non-joiner in Persian", give: "می\u200cخواهم", min: 1, accepted: true},
		{name: "right-to-left mark in Hebrew", give: "דוד\u200f 2", min: 1, accepted: true},
		{name: "empty optional", give: "", min: 0, accepted: true},
		{name: "empty required", give: "", min: 1, want: "required"},
		{name: "only zero-width space", give: "\u200b", min: 1, want: "must contain visible characters"},
		{name: "only zero-width characters", give: "\u200b\u200c\u200d\u2060\ufeff", min: 1, want: "must contain visible characters"},
		{name: "only soft hyphen and spaces", give: "\u00ad \u00ad", min: 1, want: "must contain visible characters"},
		{name: "only Hangul fillers", give: "\u3164\u115f\u1160\uffa0", min: 1, want: "must contain visible characters"},
		{name: "only braille blank", give: "\u2800", min: 1, want: "must contain visible characters"},
		{name: "only ideographic space", give: "\u3000", min: 1, want: "must contain visible characters"},
		{name: "only marks of direction", give: "\u200e\u200f\u061c", min: 1, want: "must contain visible characters"},
		{name: "invisible optional value", give: "\u200b", min: 0, want: "must contain visible characters"},
		{name: "right-to-left override", give: "Ana\u202e moc.live@ssap", min: 1, want: "must not contain text direction controls"},
		{name: "left-to-right embedding", give: "a\u202ab", min: 0, want: "must not contain text direction controls"},
		{name: "pop directional formatting", give: "a\u202cb", min: 0, want: "must not contain text direction controls"},
		{name: "right-to-left isolate", give: "a\u2067b", min: 1, want: "must not contain text direction controls"},
		{name: "pop directional isolate", give: "a\u2069b", min: 1, want: "must not contain text direction controls"},
		{name: "line feed", give: "a\nb", min: 1, want: "must not contain control characters or line breaks"},
		{name: "bad utf8", give: "\xff", min: 1, want: "not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := events.CheckLine(tc.give, tc.min, 200)
			if tc.accepted && got != "" {
				t.Fatalf("CheckLine(%q) = %q, want accepted", tc.give, got)
			}
			if !tc.accepted && got != tc.want {
				t.Fatalf("CheckLine(%q) = %q, want %q", tc.give, got, tc.want)
			}
		})
	}
}
