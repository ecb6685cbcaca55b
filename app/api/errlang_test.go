package api_test

import (
	"testing"

	"salon/app/internal/apptest"
)

// TestErrorLanguage: error messages and field messages follow the RSVP
// body's lang, else Accept-Language, else English as the contract writes
// them; the codes and the fields' names never change.
func TestErrorLanguage(t *testing.T) {
	ta := apptest.New(t)
	slug := ta.Salon(`"capacity":1,"waitlist":false`)
	rsvps := "/api/v1/salons/" + slug + "/rsvps"
	if s, out := ta.JSON("POST", rsvps, "", `{"name":"Ana","email":"ana@example.com"}`); s != 201 {
		t.Fatalf("first rsvp: %d %v", s, out)
	}
	type want struct {
		status        int
		code, message string
		fields        map[string]string
	}
	for _, c := range []struct {
		name, path, body string
		headers          []string
		want             want
	}{
		{"body lang zh", rsvps, `{"name":"","email":"nope","lang":"zh-CN"}`, nil,
			want{422, "invalid", "email：邮箱地址无效", map[string]string{"name": "必填", "email": "邮箱地址无效"}}},
		{"body lang wins over the header", rsvps, `{"name":"","email":"nope","lang":"en"}`, []string{"Accept-Language", "zh-CN"},
			want{422, "invalid", "email: not a valid address", map[string]string{"name": "required", "email": "not a valid address"}}},
		{"no lang: Accept-Language", rsvps, `{"name":"","email":"nope"}`, []string{"Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5"},
			want{422, "invalid", "email：邮箱地址无效", map[string]string{"name": "必填", "email": "邮箱地址无效"}}},
		{"unknown lang: Accept-Language", rsvps, `{"name":"Bo","email":"bo@example.com","lang":"fr"}`, []string{"Accept-Language", "zh"},
			want{409, "salon_full", "本场沙龙已满。", nil}},
		{"neither: English", rsvps, `{"name":"Bo","email":"bo@example.com"}`, nil,
			want{409, "salon_full", "This salon is full.", nil}},
		{"lang in a body of the wrong shape", rsvps, `{"name":5,"lang":"zh"}`, nil,
			want{422, "invalid", "name：类型不对", map[string]string{"name": "类型不对"}}},
		{"not JSON", rsvps, `{"name":`, []string{"Accept-Language", "zh-CN"},
			want{400, "bad_request", "请求正文不是格式正确的 JSON 对象。", nil}},
		{"unknown salon", "/api/v1/salons/nope", "", []string{"Accept-Language", "zh-Hans"},
			want{404, "not_found", "找不到该沙龙。", nil}},
		{"unknown salon in English", "/api/v1/salons/nope", "", []string{"Accept-Language", "en-GB"},
			want{404, "not_found", "Salon not found.", nil}},
		{"bad query", "/api/v1/salons?limit=0", "", []string{"Accept-Language", "zh-CN"},
			want{422, "invalid", "limit：不是范围内的整数", map[string]string{"limit": "不是范围内的整数"}}},
	} {
		method := "POST"
		if c.body == "" {
			method = "GET"
		}
		s, out := ta.JSON(method, c.path, "", c.body, c.headers...)
		e, _ := out["error"].(map[string]any)
		if s != c.want.status || e == nil || e["code"] != c.want.code || e["message"] != c.want.message {
			t.Errorf("%s: %d %v, want %d %s %q", c.name, s, out, c.want.status, c.want.code, c.want.message)
			continue
		}
		fields, _ := e["fields"].(map[string]any)
		if len(fields) != len(c.want.fields) {
			t.Errorf("%s: fields %v, want %v", c.name, fields, c.want.fields)
		}
		for k, v := range c.want.fields {
			if fields[k] != v {
				t.Errorf("%s: field %s = %v, want %q", c.name, k, fields[k], v)
			}
		}
	}
	if _, _, h := ta.Do("GET", "/api/v1/salons/nope", "", "", ""); h.Get("Vary") == "" {
		t.Error("a language-dependent error does not say it varies by Accept-Language")
	}
}
