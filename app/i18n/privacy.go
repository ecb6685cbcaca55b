package i18n

// englishPrivacy is the ticket page's text about the holder's personal
// data: the export and the two-step erasure.
var englishPrivacy = map[string]string{
	"ticket.privacy":       "Your personal data",
	"ticket.export":        "Download my data (JSON)",
	"ticket.erase":         "Erase my data",
	"ticket.erase_confirm": "Erase your personal data?",
	"ticket.erase_effect":  "Your name, email, company and job title are removed for good from this ticket, its mail and the logs. The ticket is cancelled and its seat goes to the waitlist; no mail is sent to you about it.",
	"ticket.erase_yes":     "Yes, erase my data",
	"ticket.erase_keep":    "No, keep it",
	"ticket.erased":        "The personal data of this ticket was erased on %s.",
}

// chinesePrivacy is englishPrivacy in Simplified Chinese, key for key.
var chinesePrivacy = map[string]string{
	"ticket.privacy":       "你的个人信息",
	"ticket.export":        "下载我的数据（JSON）",
	"ticket.erase":         "删除我的数据",
	"ticket.erase_confirm": "确定删除你的个人信息？",
	"ticket.erase_effect":  "你的姓名、邮箱、公司和职位将从本门票、相关邮件和日志中永久删除。门票随之取消，座位让给候补名单；我们不会为此给你发邮件。",
	"ticket.erase_yes":     "确定删除",
	"ticket.erase_keep":    "不删除",
	"ticket.erased":        "本门票的个人信息已于%s删除。",
}
