//! Appendix A (bank codes) and appendix B (return codes) of protocol.md.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// A bank of appendix A: the code sent as bankAbbr and its name.
pub struct Bank {
    /// The code sent as bankAbbr (e.g. ICBC).
    pub code: &'static str,
    /// The bank's Chinese name.
    pub name: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// A gateway return code of appendix B with its meaning.
pub struct ReturnCode {
    /// The spelling of the payment document (MCG…, RPM…, IPS…, E…).
    pub code: &'static str,
    /// The spelling of the query and refund documents, where they differ.
    pub alt: Option<&'static str>,
    /// The meaning as the documents give it, in Chinese.
    pub chinese: &'static str,
    /// The meaning in English.
    pub english: &'static str,
}

macro_rules! banks {
    ($($code:literal $name:literal),* $(,)?) => { &[$(Bank { code: $code, name: $name }),*] };
}

/// Appendix A: every bank code the gateway accepts.
pub const BANKS: &[Bank] = banks![
    "ICBC" "工商银行", "CMB" "招商银行", "CCB" "建设银行", "ABC" "农业银行", "BOC" "中国银行",
    "SPDB" "上海浦东发展银行", "BCOM" "交通银行", "CMBC" "民生银行", "CEBB" "光大银行",
    "GDB" "广东发展银行", "ECITIC" "中信银行", "HXB" "华夏银行", "CIB" "兴业银行",
    "PSBC" "邮政储蓄银行", "SDB" "深圳发展银行", "BBGB" "广西北部湾银行", "BEA" "东亚银行",
    "CBHB" "渤海银行", "CDRCB" "成都农村商业银行", "CQRCB" "重庆农村商业银行", "DGB" "东莞银行",
    "DLB" "大连银行", "DYCCB" "东营市商业银行", "FDB" "富滇银行", "GZB" "广州银行", "HBB" "河北银行",
    "HKB" "汉口银行", "HZB" "杭州银行", "LTCCB" "浙江泰隆商业银行", "HSB" "徽商银行",
    "BJRCB" "北京农商银行", "HUNRCU" "湖南农村信用社", "JJB" "九江银行", "JSB" "江苏银行",
    "NBB" "宁波银行", "NXB" "宁夏银行", "QLB" "齐鲁银行", "QSB" "齐商银行", "RZB" "日照银行",
    "SCB" "渣打银行", "SDRCB" "顺德农村商业银行", "SHRCB" "上海农村商业银行", "SJB" "盛京银行",
    "SPABANK" "平安银行", "SRB" "上饶银行", "SZB" "苏州银行", "SZRCB" "深圳农村商业银行",
    "TACCB" "泰安市商业银行", "WHCCB" "威海市商业银行", "WLMQCCB" "乌鲁木齐市商业银行",
    "WZB" "温州银行", "XMB" "厦门银行", "YCCCB" "宜昌市商业银行", "ZHRCU" "珠海市农村信用合作社",
    "ZJCCB" "浙商银行", "ZJGRCB" "张家港农商银行", "NCB" "南洋商业银行", "NJCB" "南京银行", "BOB" "北京银行",
];

macro_rules! rc {
    ($code:literal, $alt:expr, $zh:literal, $en:literal) => {
        ReturnCode {
            code: $code,
            alt: $alt,
            chinese: $zh,
            english: $en,
        }
    };
}

/// Appendix B: every return code the documents list.
pub const RETURN_CODES: &[ReturnCode] = &[
    rc!("000000", Some("MCG00000"), "交易成功", "success"),
    rc!(
        "MCG01088",
        Some("C01088"),
        "退货金额域非法",
        "refund amount invalid"
    ),
    rc!(
        "MCG01081",
        Some("C01081"),
        "产品名称域越界",
        "product name too long"
    ),
    rc!(
        "MCG01033",
        Some("C01033"),
        "产品名称域为空",
        "product name empty"
    ),
    rc!(
        "MCG01030",
        Some("C01030"),
        "有效期单位域不合法",
        "period unit invalid"
    ),
    rc!(
        "MCG01028",
        Some("C01028"),
        "有效期数量域为 0",
        "period is 0"
    ),
    rc!(
        "MCG01027",
        Some("C01027"),
        "有效期数量域为空",
        "period empty"
    ),
    rc!(
        "MCG01025",
        Some("C01025"),
        "订单日期域不合法",
        "order date invalid"
    ),
    rc!(
        "MCG01024",
        Some("C01024"),
        "订单日期域为空",
        "order date empty"
    ),
    rc!(
        "MCG01019",
        Some("C01019"),
        "币种域取值不合法",
        "currency invalid"
    ),
    rc!("MCG01018", Some("C01018"), "币种域为空", "currency empty"),
    rc!("MCG01014", Some("C01014"), "订单金额域为空", "amount empty"),
    rc!("RPM99981", Some("D99981"), "订单已过期", "order expired"),
    rc!(
        "RPM23190",
        Some("D23190"),
        "退款日期超过最大有效期",
        "refund past its time limit"
    ),
    rc!(
        "RPM22407",
        Some("D22407"),
        "退款金额大于可退款金额",
        "refund exceeds refundable amount"
    ),
    rc!(
        "RPM22401",
        Some("D22401"),
        "退货金额大于可退货金额",
        "return exceeds returnable amount"
    ),
    rc!(
        "RPM22208",
        Some("D22208"),
        "订单状态异常 (订单号或 requestId 重复)",
        "order state abnormal: orderId or requestId reused"
    ),
    rc!(
        "RPM22201",
        Some("D22201"),
        "订单不存在",
        "order does not exist"
    ),
    rc!(
        "RPM22224",
        Some("D22224"),
        "账户支付方式不正确",
        "payment method not enabled: check type and bankAbbr"
    ),
    rc!(
        "RPM77040",
        Some("D77040"),
        "商户没有开通此类交易的权限",
        "merchant not enabled for this transaction type"
    ),
    rc!(
        "E22160",
        None,
        "该银行充值业务未开通",
        "bank not enabled, usually a wrong bank code"
    ),
    rc!(
        "IPS0008",
        None,
        "签名不符,一般都是由于中文编码引起",
        "signature mismatch, usually Chinese text encoding"
    ),
    rc!(
        "IPS0001",
        None,
        "商户编号或密钥不对",
        "wrong merchantId or signKey"
    ),
];

/// The code the simulator answers when a request breaks the format of the
/// document's field tables and appendix B has no code for that failure (an
/// ipAddress over 15 characters, a 5-digit period, a URL that is not http).
/// Not a code of the documents: the live gateway's answer to such a request
/// is not known (protocol.md §8.9).
pub const FIELD_INVALID_CODE: &str = "MCG99999";

/// Codes that are not in the documents but that the simulator answers.
pub const SIMULATOR_CODES: &[ReturnCode] = &[rc!(
    "MCG99999",
    None,
    "字段格式不符",
    "a field breaks the document's format and appendix B has no code for it (the simulator's code; the message names the field)"
)];

/// Looks up a return code by either spelling: appendix B's, then the
/// simulator's own.
pub fn return_code(code: &str) -> Option<&'static ReturnCode> {
    RETURN_CODES
        .iter()
        .chain(SIMULATOR_CODES)
        .find(|r| r.code == code || r.alt == Some(code))
}

/// True for the gateway's success codes (000000, MCG00000).
pub fn is_success(code: &str) -> bool {
    code == "000000" || code == "MCG00000"
}

/// The bank with this code, if appendix A lists it.
pub fn bank(code: &str) -> Option<&'static Bank> {
    BANKS.iter().find(|b| b.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_and_banks() {
        assert_eq!(return_code("C01088").unwrap().code, "MCG01088");
        assert_eq!(return_code("D99981").unwrap().english, "order expired");
        assert_eq!(return_code("IPS0008").unwrap().alt, None);
        assert!(return_code("XYZ").is_none());
        assert!(return_code(FIELD_INVALID_CODE).is_some());
        assert_eq!(bank("ICBC").unwrap().name, "工商银行");
        assert_eq!(BANKS.len(), 59);
        let mut codes: Vec<_> = BANKS.iter().map(|b| b.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), BANKS.len(), "a bank code is listed twice");
    }
}
