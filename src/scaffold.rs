//! `planport new`: a correctly-formed skeleton for an editor to fill in. Every placeholder
//! says what to write (in Chinese, for the editors), and `check` refuses to publish a document
//! that still holds one ([`PLACEHOLDERS`]): an untouched skeleton would publish invented text.

use crate::model::{Kind, PartialDate};
use crate::registry::Registry;

/// The placeholders `planport new` writes into a body, each in full-width brackets. One list,
/// read by the skeletons below and by `check`, so that the two cannot drift apart.
pub const PLACEHOLDERS: [&str; 8] = [INTRO, SECTION_TITLE, ITEM_TITLE, ITEM_BODY, NEXT_ITEM, FILL_WORK, FILL, FILL_OR_DELETE];
const INTRO: &str = "（在此粘贴导语段落；没有可删除。）";
const SECTION_TITLE: &str = "（第一部分标题）";
const ITEM_TITLE: &str = "（事项标题，以“。”结尾。）";
const ITEM_BODY: &str = "（事项正文。）";
const NEXT_ITEM: &str = "（下一项，编号接续全文，不按部分重新编号。）";
const FILL_WORK: &str = "（在此填写工作情况。）";
const FILL: &str = "（在此填写。）";
const FILL_OR_DELETE: &str = "（在此填写；没有可删除本节。）";

/// What `planport import` writes as `lead_departments` of a plan whose source names no
/// department and whose lead the editor did not give; `check` refuses it until replaced.
pub const LEAD_PLACEHOLDER: &str = "（待填：牵头部门）";

/// What the editor asked for.
pub struct NewDocument<'a> {
    pub kind: Kind,
    pub year: i32,
    pub title: Option<&'a str>,
    pub city: Option<&'a str>,
    pub date: Option<&'a str>,
    pub slug: Option<&'a str>,
}

/// One YAML value as the serializer writes it (quoted when it must be), so that a title
/// such as `2026年：要点` or `a: b` stays one value.
fn yaml(value: &str) -> String {
    serde_yaml::to_string(value).expect("a string serializes").trim_end().to_string()
}

/// A value the editor typed that goes into front-matter: one line of text.
fn one_line<'a>(what: &str, value: &'a str) -> Result<&'a str, String> {
    match value.chars().find(|c| c.is_control()) {
        Some(c) => Err(format!("{what} 里不能有换行或控制字符（{:?}）；请写成一行", c)),
        None => Ok(value),
    }
}

/// The path under content/ and the file text; an error explains what is missing or wrong.
pub fn scaffold(req: &NewDocument<'_>, registry: &Registry) -> Result<(String, String), String> {
    if let Some(d) = req.date {
        d.parse::<PartialDate>()?;
    }
    if let Some(t) = req.title {
        one_line("--title", t)?;
    }
    match req.kind {
        Kind::Plan => {
            let title = req.title.map_or_else(|| format!("河南省科协{}年工作要点", req.year), str::to_string);
            let slug = req.slug.map_or_else(|| format!("{}-work-points", req.year), str::to_string);
            crate::model::Slug::parse(&slug)?;
            let department = registry.departments.iter().find(|d| d.collective.is_none()).map_or("办公室".to_string(), |d| d.name.clone());
            let date = req.date.map(|d| format!("date: {}\n", yaml(d))).unwrap_or_default();
            let text = format!(
                "---\ntitle: {title}\nkind: plan\nyear: {year}\nissuer: 河南省科协办公室\n# doc_number: 豫科协办发〔{year}〕1号   （发文字号，有则填写）\n{date}---\n\n\
                 {INTRO}\n\n\
                 ## 一、{SECTION_TITLE}\n\n\
                 1. {ITEM_TITLE}{ITEM_BODY}（责任部门：{department}）\n\n\
                 2. {NEXT_ITEM}（责任部门：{department}）\n",
                year = req.year,
                title = yaml(&title),
            );
            Ok((format!("plans/{slug}.md"), text))
        }
        Kind::Report => {
            let city_name = req.city.ok_or("报告需要 --city（例如 --city 郑州市）")?;
            let city = registry.city(city_name).map(|i| registry.city_entry(i)).ok_or_else(|| {
                let hint = registry.suggest_city(city_name).map(|s| format!("，您是否想写 {s}？")).unwrap_or_default();
                format!("未知的城市 {city_name}{hint}")
            })?;
            let date = req.date.ok_or("报告需要 --date（提交的年月或日期：YYYY-MM 或 YYYY-MM-DD）")?;
            let submitted: PartialDate = date.parse()?;
            let slug = req.slug.unwrap_or(city.slug.as_str());
            crate::model::Slug::parse(slug)?;
            let title = req.title.map_or_else(|| format!("{}年工作情况和{}年工作打算的汇报", req.year, req.year + 1), str::to_string);
            let text = format!(
                "---\ntitle: {title}\nkind: report\nyear: {year}\ncity: {city_value}\nissuer: {issuer}\ndate: {date}\n---\n\n\
                 ## 一、{year}年工作情况\n\n{FILL_WORK}\n\n\
                 ## 二、存在的问题\n\n{FILL}\n\n\
                 ## 三、{next}年工作打算\n\n{FILL}\n\n\
                 ## 四、有关建议\n\n{FILL_OR_DELETE}\n",
                year = req.year,
                next = req.year + 1,
                title = yaml(&title),
                city_value = yaml(&city.name),
                issuer = yaml(&format!("{}科协", city.name)),
                date = yaml(date),
            );
            Ok((format!("reports/{}/{slug}.md", submitted.year), text))
        }
    }
}
