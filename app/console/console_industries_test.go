package console_test

import (
	"net/url"
	"strings"
	"testing"

	"salon/app/internal/apptest"
	"salon/events"
	"salon/storage"
)

// TestConsoleIndustries: an organizer adds an industry with both names;
// it shows on the listing's filter and the salon form in each language; a
// duplicate or a Chinese name not in Chinese is refused beside its field;
// staff may not add one; the addition is audited.
func TestConsoleIndustries(t *testing.T) {
	ta, base := apptest.ConsoleApp(t)
	ta.Account("wang@example.com", events.RoleOrganizer)
	ta.Account("door2@example.com", events.RoleStaff)
	c := apptest.SignedIn(t, base, "wang@example.com")

	status, body := apptest.Get(t, c, base+"/admin/industries")
	if status != 200 || !strings.Contains(body, "<td>Fintech</td>") || !strings.Contains(body, `<td lang="zh-Hans">金融科技</td>`) {
		t.Fatalf("industries page: %d", status)
	}
	add := func(v url.Values) (int, string) {
		v.Set("_csrf", apptest.FormToken(t, c, base+"/admin/industries"))
		resp, body := apptest.PostForm(t, c, base+"/admin/industries", v)
		return resp.StatusCode, body
	}
	for name, c := range map[string]struct {
		form  url.Values
		field string
	}{
		"fixed name":          {url.Values{"name": {"LAW"}, "name_zh": {"律所"}}, "name-err"},
		"fixed Chinese name":  {url.Values{"name": {"Legal"}, "name_zh": {"法律"}}, "name_zh-err"},
		"Chinese not Chinese": {url.Values{"name": {"Robotics"}, "name_zh": {"Robotics"}}, "name_zh-err"},
		"bad tag":             {url.Values{"name": {"Robotics"}, "name_zh": {"机器人"}, "slug": {"Robo tics"}}, "slug-err"},
	} {
		status, body := add(c.form)
		if status != 422 || !strings.Contains(body, `id="`+c.field+`"`) || !strings.Contains(body, `value="`+c.form.Get("name")+`"`) {
			t.Errorf("%s: %d, want 422 with %s and the form kept", name, status, c.field)
		}
	}
	status, _ = add(url.Values{"name": {"Robotics"}, "name_zh": {"机器人"}})
	if status != 303 {
		t.Fatalf("add: %d", status)
	}
	if status, body := add(url.Values{"name": {"robotics"}, "name_zh": {"机械"}}); status != 422 || !strings.Contains(body, "Another industry already has this.") {
		t.Fatalf("duplicate: %d", status)
	}
	_, body = apptest.Get(t, c, base+"/admin/salons/new")
	if !strings.Contains(body, `<option value="robotics">Robotics</option>`) {
		t.Fatal("the salon form does not offer the new industry")
	}
	c.Get(base + "/lang/zh?next=/")
	_, body = apptest.Get(t, c, base+"/admin/salons/new")
	if !strings.Contains(body, `<option value="robotics">机器人</option>`) {
		t.Fatal("the Chinese salon form does not name the new industry in Chinese")
	}
	ta.Salon(`"slug":"robots","industry":"robotics"`)
	_, body = apptest.Get(t, c, base+"/")
	if !strings.Contains(body, `<option value="robotics">机器人</option>`) || !strings.Contains(body, `data-industry="robotics">机器人</span>`) {
		t.Fatal("the listing does not name the new industry")
	}

	staff := apptest.SignedIn(t, base, "door2@example.com")
	if status, _ := apptest.Get(t, staff, base+"/admin/industries"); status != 403 {
		t.Errorf("staff: %d", status)
	}
	entries, err := ta.DB.FindAudit(t.Context(), storage.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == storage.ActionIndustryCreate && e.Actor == "wang@example.com" && e.Detail == "robotics" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d audit entries for the new industry, want 1", n)
	}
}
