"""Better Chinese for a few of allauth's own strings.

allauth's English messages are translated by allauth's catalogue; where its Chinese reads
badly for our users, our catalogue (which Django consults first) says it better. Listing the
messages here keeps `makemessages` from dropping them.
"""


def gettext_noop(message: str) -> str:
    """Marks a message for makemessages without needing Django's settings (the fill script imports this)."""
    return message


ALLAUTH_WORDING = {
    gettext_noop("Code"): "验证码",
    gettext_noop("Incorrect code."): "验证码不正确。",
    gettext_noop("Verify Your Email Address"): "验证您的电子邮箱",
    gettext_noop("Email"): "电子邮箱",
    gettext_noop("Email address"): "电子邮箱地址",
    gettext_noop("Sign In"): "登录",
    gettext_noop("Sign Up"): "注册",
    gettext_noop("Two-Factor Authentication"): "两步验证",
    gettext_noop("Authenticator App"): "身份验证器应用",
    gettext_noop("Activate"): "启用",
    gettext_noop("Activate Authenticator App"): "启用身份验证器应用",
    gettext_noop("Authenticator secret"): "验证器密钥",
    gettext_noop("Enter an authenticator code:"): "请输入身份验证器上显示的6位验证码：",
    gettext_noop(
        "Too many failed login attempts. Try again later."
    ): "登录失败次数过多，请稍后重试。",
}
