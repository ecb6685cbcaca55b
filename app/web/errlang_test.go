package web

import (
	"testing"

	"salon/app/i18n"
)

// TestErrorKeysInCatalogue: every message the API translates has Chinese
// text of its own, not the key read back.
func TestErrorKeysInCatalogue(t *testing.T) {
	var keys []string
	for _, k := range apiMessageKeys {
		keys = append(keys, k)
	}
	for _, k := range apiFieldKeys {
		keys = append(keys, k)
	}
	for code := range apiCodes {
		keys = append(keys, apiCodeKey(code))
	}
	keys = append(keys, "apierr.field_sep", "apierr.f.type", "apierr.f.number")
	for _, k := range keys {
		if zh := i18n.T("zh", k); zh == k || zh == i18n.T("en", k) && k != "apierr.f.utf8" {
			t.Errorf("%s has no Chinese text: %q", k, zh)
		}
	}
}
