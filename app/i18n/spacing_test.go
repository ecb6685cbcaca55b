package i18n

import "testing"

// TestChineseSpacing: a value filled into Chinese text is spaced from it
// when one side is Chinese and the other Latin or a digit, and joined to
// it when both are Chinese; English is left alone.
func TestChineseSpacing(t *testing.T) {
	for _, c := range []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"zh", "ticket.for", []any{"王芳"}, "王芳的门票"},
		{"zh", "ticket.for", []any{"Ana Lima"}, "Ana Lima 的门票"},
		{"zh", "list.seats_left", []any{3}, "剩余 3 个座位"},
		{"zh", "salon.seats", []any{3, 40}, "剩余 3 个座位（共 40 个）"},
		{"zh", "calendar.subscribe_industry", []any{"金融科技"}, "订阅所有金融科技沙龙（webcal）"},
		{"zh", "calendar.subscribe_industry", []any{"fintech"}, "订阅所有 fintech 沙龙（webcal）"},
		{"zh", "mail.hello", []any{"Zoë"}, "Zoë，你好："},
		{"zh", "mail.confirmed", []any{"AI night"}, "你已获得「AI night」的座位。"},
		{"zh", "ticket.for", []any{"\uE001王\uE000"}, "王的门票"},
		{"en", "ticket.for", []any{"王芳"}, "Ticket for 王芳"},
		{"en", "list.seats_left", []any{1}, "1 seat left"},
	} {
		if got := T(c.lang, c.key, c.args...); got != c.want {
			t.Errorf("T(%s, %s, %v) = %q, want %q", c.lang, c.key, c.args, got, c.want)
		}
	}
}
