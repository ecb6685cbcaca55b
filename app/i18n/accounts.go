package i18n

// englishAccounts is the text of account management: the Accounts page,
// one's own account, the page of a one-time password link and the
// invitation mail.
var englishAccounts = map[string]string{
	"audit.user.invite":   "sent an invitation link",
	"audit.user.reset":    "made a password reset link",
	"audit.user.password": "set a password",
	"audit.user.update":   "changed an account's name",
	"audit.user.disable":  "disabled an account",
	"audit.user.enable":   "enabled an account",
}

// chineseAccounts is englishAccounts in Simplified Chinese, key for key.
var chineseAccounts = map[string]string{
	"audit.user.invite":   "发送了邀请链接",
	"audit.user.reset":    "生成了重设密码链接",
	"audit.user.password": "设置了密码",
	"audit.user.update":   "修改了账户名称",
	"audit.user.disable":  "停用了账户",
	"audit.user.enable":   "启用了账户",
}
