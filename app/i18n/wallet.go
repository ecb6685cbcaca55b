package i18n

// englishWallet is the text of Apple Wallet passes and the links to them.
var englishWallet = map[string]string{
	"wallet.add":         "Add to Apple Wallet",
	"wallet.description": "Ticket for %s",
	"wallet.event":       "Salon",
	"wallet.when":        "When",
	"wallet.venue":       "Venue",
	"wallet.address":     "Address",
	"wallet.holder":      "Name",
	"wallet.ticket":      "Ticket page",
	"mail.wallet":        "Add to Apple Wallet: %s",
}

// chineseWallet is englishWallet in Simplified Chinese, key for key.
var chineseWallet = map[string]string{
	"wallet.add":         "添加到 Apple 钱包",
	"wallet.description": "%s的门票",
	"wallet.event":       "沙龙",
	"wallet.when":        "时间",
	"wallet.venue":       "地点",
	"wallet.address":     "地址",
	"wallet.holder":      "姓名",
	"wallet.ticket":      "门票页面",
	"mail.wallet":        "添加到 Apple 钱包：%s",
}
