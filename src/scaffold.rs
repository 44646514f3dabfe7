//! `planport new`: a correctly-formed skeleton for an editor to fill in. It passes `check`,
//! and every placeholder says what to write (in Chinese, for the editors).

use crate::model::{Kind, PartialDate};
use crate::registry::Registry;

/// What the editor asked for.
pub struct NewDocument<'a> {
    pub kind: Kind,
    pub year: i32,
    pub title: Option<&'a str>,
    pub city: Option<&'a str>,
    pub date: Option<&'a str>,
    pub slug: Option<&'a str>,
}

/// The path under content/ and the file text; an error explains what is missing or wrong.
pub fn scaffold(req: &NewDocument<'_>, registry: &Registry) -> Result<(String, String), String> {
    if let Some(d) = req.date {
        d.parse::<PartialDate>()?;
    }
    match req.kind {
        Kind::Plan => {
            let title = req.title.map_or_else(|| format!("河南省科协{}年工作要点", req.year), str::to_string);
            let slug = req.slug.map_or_else(|| format!("{}-work-points", req.year), str::to_string);
            crate::model::Slug::parse(&slug)?;
            let department = registry.departments.iter().find(|d| d.collective.is_none()).map_or("办公室".to_string(), |d| d.name.clone());
            let date = req.date.map(|d| format!("date: {d}\n")).unwrap_or_default();
            let text = format!(
                "---\ntitle: {title}\nkind: plan\nyear: {year}\nissuer: 河南省科协办公室\n# doc_number: 豫科协办发〔{year}〕1号   （发文字号，有则填写）\n{date}---\n\n\
                 （在此粘贴导语段落；没有可删除。）\n\n\
                 ## 一、（第一部分标题）\n\n\
                 1. （事项标题，以“。”结尾。）（事项正文。）（责任部门：{department}）\n\n\
                 2. （下一项，编号接续全文，不按部分重新编号。）（责任部门：{department}）\n",
                year = req.year
            );
            Ok((format!("plans/{slug}.md"), text))
        }
        Kind::Report => {
            let city_name = req.city.ok_or("a report needs --city (e.g. --city 郑州市)")?;
            let city = registry.city(city_name).map(|i| &registry.cities[i]).ok_or_else(|| {
                let hint = registry.suggest_city(city_name).map(|s| format!("; did you mean {s}?")).unwrap_or_default();
                format!("unknown city {city_name}{hint}")
            })?;
            let date = req.date.ok_or("a report needs --date (when it was submitted: YYYY-MM or YYYY-MM-DD)")?;
            let submitted: PartialDate = date.parse()?;
            let slug = req.slug.unwrap_or(city.slug.as_str());
            crate::model::Slug::parse(slug)?;
            let title = req.title.map_or_else(|| format!("{}年工作情况和{}年工作打算的汇报", req.year, req.year + 1), str::to_string);
            let text = format!(
                "---\ntitle: {title}\nkind: report\nyear: {year}\ncity: {city}\nissuer: {city}科协\ndate: {date}\n---\n\n\
                 ## 一、{year}年工作情况\n\n（在此填写工作情况。）\n\n\
                 ## 二、存在的问题\n\n（在此填写。）\n\n\
                 ## 三、{next}年工作打算\n\n（在此填写。）\n\n\
                 ## 四、有关建议\n\n（在此填写；没有可删除本节。）\n",
                year = req.year,
                next = req.year + 1,
                city = city.name,
            );
            Ok((format!("reports/{}/{slug}.md", submitted.year), text))
        }
    }
}
