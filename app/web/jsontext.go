package web

import "unicode/utf8"

// validJSONText reports whether a JSON body can be decoded without anything
// in it being replaced: encoding/json turns invalid UTF-8 and a \u escape of
// a lone surrogate into U+FFFD without a word, so a name would be stored
// other than it was sent (RFC 8259 §8.1 asks for UTF-8 and §8.2 calls lone
// surrogates unpredictable). Malformed escapes are left for the decoder to
// refuse.
func validJSONText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	inString := false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case !inString:
			inString = c == '"'
		case c == '"':
			inString = false
		case c == '\\' && i+1 < len(b) && b[i+1] == 'u':
			r := hex4(b, i+2)
			if r >= 0xdc00 && r <= 0xdfff {
				return false
			}
			if r >= 0xd800 && r <= 0xdbff {
				lo := -1
				if i+7 < len(b) && b[i+6] == '\\' && b[i+7] == 'u' {
					lo = hex4(b, i+8)
				}
				if lo < 0xdc00 || lo > 0xdfff {
					return false
				}
				i += 6
			}
			i += 5
		case c == '\\':
			i++ // the escaped character, which may be a quote
		}
	}
	return true
}

// hex4 reads the four hex digits at b[i:], or gives -1.
func hex4(b []byte, i int) int {
	if i+4 > len(b) {
		return -1
	}
	n := 0
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			n = n<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			n = n<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			n = n<<4 | int(c-'A'+10)
		default:
			return -1
		}
	}
	return n
}
