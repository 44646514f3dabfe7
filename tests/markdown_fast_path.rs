//! Markdown bodies without raw HTML skip ammonia: planport writes html5ever's serialisation
//! itself, and where pulldown-cmark's HTML already is that serialisation (judged from the
//! events: plain text, paragraphs, lists, headings, emphasis, and planport's own links and
//! anchors), takes it as it is. These tests prove that both shortcuts change nothing: for every
//! generated body either takes, its output equals ammonia's byte for byte, and what only
//! ammonia may judge goes to ammonia.
//! For a long search: `PROPTEST_CASES=20000 cargo test --release --test markdown_fast_path`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::LazyLock;

use planport::markdown::{BlockMarkup, MarkdownRenderer, Markup};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestRunner;

mod common;
use common::config;

/// One renderer for all cases: syntect's syntaxes load once.
static RENDERER: LazyLock<MarkdownRenderer> = LazyLock::new(MarkdownRenderer::new);

/// Pieces of inline Markdown: Chinese and ASCII text, the characters HTML escapes, and every
/// inline construct CommonMark, tables and strikethrough give.
const INLINE: &[&str] = &[
    "科普",
    "中原",
    "加强科技界政治引领。",
    "（责任部门：科普部、组织人事部，省科技馆）",
    "科普部",
    "组织人事部",
    "省科技馆",
    "。",
    "，",
    "、",
    "：",
    "（",
    "）",
    "plain",
    " text ",
    " ",
    "\"",
    "'",
    "&",
    "<",
    ">",
    "a < b",
    "<3",
    "\u{a0}",
    "&nbsp;",
    "&amp;",
    "&quot;",
    "&copy;",
    "&#34;",
    "&#x27;",
    "&#0;",
    "&#x80;",
    "\\*",
    "\\",
    "*",
    "**",
    "_",
    "~~",
    "`",
    "*强调*",
    "**加强。**",
    "_em_",
    "__strong__",
    "~~删~~",
    "`code \"<&>\"`",
    "``a ` b``",
    "  \n",
    "\\\n",
    "\n",
    "[链接](/plans/2024/a/#item-3)",
    "[rel](a/b.html \"title \\\"q\\\" & 'x'\")",
    "[http](http://example.com/路径?a=1&b='2' \"t\")",
    "[https](https://例子.cn/)",
    "[mail](mailto:a@b.cn)",
    "[space](<a b.html>)",
    "[ftp](ftp://x.cn/)",
    "[host](//host/p)",
    "[frag](#sec-1)",
    "[empty]()",
    "<http://example.com/a?b=1&c=\"2\">",
    "<https://x.cn/>",
    "<a@b.cn>",
    "![图 \"q\"](img/a.png \"题\")",
    "![](https://x.cn/a.png)",
    "[ref][r]",
    "\t",
    "\r",
];

/// Pieces only ammonia may judge: raw HTML, URLs of schemes it removes or cannot parse, and
/// NUL, which html5ever drops from text.
const FOR_AMMONIA: &[&str] = &[
    "<span>",
    "<!-- c -->",
    "[js](javascript:alert(1))",
    "[JS](JAVASCRIPT:alert(1))",
    "![x](javascript:1)",
    "[bad](http://[bad)",
    "[data](data:text/html,x)",
    "[scheme](x:y)",
    "\0",
];

fn inline() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        40 => select(INLINE).prop_map(str::to_string),
        5 => any::<char>().prop_map(String::from),
        1 => select(FOR_AMMONIA).prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 1..10).prop_map(|v| v.concat())
}

/// One line of inline text (line breaks inside the block come from [`INLINE`]).
fn line() -> impl Strategy<Value = String> {
    inline().prop_map(|s| s.trim_end_matches(['\n', '\r', '\\', ' ']).to_string())
}

fn code_block() -> impl Strategy<Value = String> {
    let lang = select(&["", "yaml", "rust", "no-such-lang", "yaml title=\"x\""][..]);
    let lines = prop::collection::vec(select(&["title: 甲", "  - \"<&>\" # '注'", "a:\tb", "", "\u{a0}x", "key: &anchor v", "\r"][..]), 0..4);
    (lang, lines, any::<bool>()).prop_map(|(lang, lines, fenced)| {
        if fenced {
            format!("```{lang}\n{}\n```", lines.join("\n"))
        } else {
            lines.iter().map(|l| format!("    {l}\n")).collect()
        }
    })
}

fn table() -> impl Strategy<Value = String> {
    let align = select(&["---", ":--", "--:", ":-:"][..]);
    (1..4usize, prop::collection::vec(align, 3), prop::collection::vec(line(), 0..9)).prop_map(|(cols, aligns, cells)| {
        let row = |cells: &[String]| format!("| {} |", cells.iter().map(|c| c.replace('|', "\\|").replace('\n', " ")).collect::<Vec<_>>().join(" | "));
        let head: Vec<String> = (0..cols).map(|i| format!("列{i}")).collect();
        let mut out = format!("{}\n|{}|\n", row(&head), aligns[..cols].join("|"));
        for body in cells.chunks(cols) {
            out.push_str(&row(body));
            out.push('\n');
        }
        out
    })
}

/// A list: ordered (with a start number) or not, items of inline text, some with a nested list
/// or a second paragraph.
fn list() -> impl Strategy<Value = String> {
    let item = (line(), prop::option::of(line()), 0..3u8);
    (prop::option::of(0..12u32), select(&["- ", "* "][..]), prop::collection::vec(item, 1..4)).prop_map(|(start, bullet, items)| {
        let mut out = String::new();
        for (k, (text, more, shape)) in items.iter().enumerate() {
            let marker = start.map_or(bullet.to_string(), |s| format!("{}. ", s + k as u32));
            let indent = " ".repeat(marker.chars().count());
            out.push_str(&format!("{marker}{text}\n"));
            match (more, shape) {
                (Some(more), 1) => out.push_str(&format!("{indent}- {more}\n")),
                (Some(more), 2) => out.push_str(&format!("\n{indent}{more}\n")),
                _ => {}
            }
        }
        out
    })
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => inline(),
        1 => (1..7usize, line()).prop_map(|(level, text)| format!("{} {text}", "#".repeat(level))),
        3 => list(),
        1 => inline().prop_map(|t| t.lines().map(|l| format!("> {l}\n")).collect()),
        1 => code_block(),
        1 => table(),
        1 => select(&["---", "***", "___"][..]).prop_map(str::to_string),
        2 => (1..30u32, line()).prop_map(|(n, text)| format!("{n}. {text}（科普部、组织人事部，省科技馆）")),
        1 => Just("[r]: /plans/r/ \"引\"".to_string()),
    ]
}

/// A body of blocks, separated by blank lines or not (lazy continuations, tight lists), with
/// LF or CRLF line endings.
fn body() -> impl Strategy<Value = String> {
    (prop::collection::vec((block(), select(&["\n\n", "\n"][..])), 0..7), any::<bool>()).prop_map(|(blocks, crlf)| {
        let body: String = blocks.into_iter().map(|(b, sep)| b + sep).collect();
        if crlf {
            body.replace('\n', "\r\n")
        } else {
            body
        }
    })
}

/// What pages add from the model: nothing, cite links after passages, or department links,
/// part anchors and notes after the first blocks.
fn markup(kind: u8) -> Markup {
    let mut markup = Markup { cite_passages: kind > 0, ..Markup::default() };
    if kind == 2 {
        for b in 0..4 {
            let names = ["科普部", "组织人事部", "省科技馆"]
                .iter()
                .enumerate()
                .map(|(g, n)| (g.min(1), n.to_string(), (g != 1).then(|| format!("/departments/{g}/?a=1&b=\"2\""))))
                .collect();
            let after = "<p class=\"item-links\">同年另见：<a href=\"/plans/2024/x/#item-3\">《甲&amp;乙&quot;丙&#x27;》第3项</a></p>".to_string();
            markup.blocks.insert(b, BlockMarkup { labels_before: 0, names, anchors: vec![format!("part-{b}")], after });
        }
    }
    markup
}

/// Asserts that the fast path and pulldown-cmark's HTML taken as it is, where they answer,
/// answer what ammonia does; returns whether each answered.
fn fast_equals_ammonia(body: &str, numbered: bool, markup: &Markup) -> Result<(bool, bool), TestCaseError> {
    let (itself, fast, ammonia) = RENDERER.render_every_way(body, numbered, markup);
    if let Some(fast) = &fast {
        prop_assert_eq!(fast, &ammonia, "body {:?} (numbered: {})", body, numbered);
    }
    if let Some(itself) = &itself {
        prop_assert_eq!(itself, &ammonia, "taken as it is: body {:?} (numbered: {})", body, numbered);
    }
    Ok((fast.is_some(), itself.is_some()))
}

#[test]
fn fast_path_writes_what_ammonia_writes() {
    let (cases, answered, as_is) = (AtomicU32::new(0), AtomicU32::new(0), AtomicU32::new(0));
    let mut runner = TestRunner::new(config(512));
    let result = runner.run(&(body(), any::<bool>(), 0..3u8), |(body, numbered, kind)| {
        cases.fetch_add(1, Ordering::Relaxed);
        let (fast, itself) = fast_equals_ammonia(&body, numbered, &markup(kind))?;
        answered.fetch_add(u32::from(fast), Ordering::Relaxed);
        as_is.fetch_add(u32::from(itself), Ordering::Relaxed);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // Not a vacuous proof: the generated bodies mostly take the fast path, and many of them
    // (those without links, tables, code, rules, line breaks or U+00A0) are taken as they are.
    let (cases, answered, as_is) = (cases.into_inner(), answered.into_inner(), as_is.into_inner());
    eprintln!("fast path answered {answered} of {cases} cases, {as_is} taken as they are");
    assert!(answered * 2 > cases, "the fast path answered only {answered} of {cases} cases");
    assert!(as_is * 10 > cases, "only {as_is} of {cases} cases were taken as they are");
}

#[test]
fn plain_markdown_takes_the_fast_path() {
    let bodies = [
        "科普\n中原 \"引号\" 'x' & < b > \u{a0}",
        "## 一、标题 \"甲\"\n\n1. 甲。（科普部、组织人事部，省科技馆）\n2. 乙。\n\n   续。\n",
        "3. **加强。**科技\n   - 子项\n\n> 引用  \n> 换行\\\n> 末\n\n---\n",
        "| 甲 | 乙 |\n|:--|--:|\n| \"1\" | 2 |\n\n| 无体 |\n|---|\n",
        "```yaml\ntitle: \"甲\" # <注> & 'x'\n```\n\n```\nplain <x>\n```\n\n    indented\n",
        "[相对](a/b.html \"t \\\"q\\\"\") [http](http://example.com/?a=1&b=2) <https://x.cn/> <a@b.cn> ![图](/i.png \"题\")",
        "`code \"<&>\"` ~~删~~ *em* __strong__ &copy; &#x27;\r\n第二行\r\n",
    ];
    for body in bodies {
        for (numbered, kind) in [(false, 0), (true, 0), (false, 1), (true, 1)] {
            assert!(fast_equals_ammonia(body, numbered, &markup(kind)).unwrap().0, "declined {body:?} (numbered: {numbered}, markup {kind})");
        }
    }
}

#[test]
fn what_only_ammonia_may_judge_goes_to_ammonia() {
    for body in ["<b>raw</b>", "<!-- c -->\n", "[js](javascript:alert(1))", "![x](data:image/png,x)", "[bad](http://[bad)", "[x](other:y)"] {
        assert_eq!(fast_equals_ammonia(body, false, &Markup::default()).unwrap(), (false, false), "took a shortcut: {body:?}");
    }
}

/// What plans and reports are made of is taken as pulldown-cmark writes it (and equals
/// ammonia's, as every case of `fast_equals_ammonia`); links, images, tables, rules, hard line
/// breaks and U+00A0, which pulldown-cmark writes otherwise than html5ever, are not.
#[test]
fn plan_text_is_taken_as_it_is_and_the_rest_is_not() {
    let plan = [
        "## 一、加强党建\n\n1. **加强。**科技“甲” & a < b > c（责任部门：科普部、组织人事部，省科技馆）\n2. 乙。\n\n   续 *强调* ~~删~~ `code <&>`。\n",
        "> 河南省科学技术协会文件\n>\n> 豫科协发〔2024〕1号\n\n### 三级\n\n- 甲\n  - 乙\n\n5. 五\n6. 六\r\n",
    ];
    for body in plan {
        for (numbered, kind) in [(false, 0), (true, 0), (false, 1), (true, 1)] {
            assert_eq!(fast_equals_ammonia(body, numbered, &markup(kind)).unwrap(), (true, true), "{body:?} (numbered: {numbered}, markup {kind})");
        }
    }
    // The links the model adds, escaped as html5ever writes them, are taken as they are too.
    let mut links = Markup::default();
    let names = vec![(0, "科普部".to_string(), Some("/departments/kepu/?a=1&b=\"2\"".to_string())), (1, "省科技馆".to_string(), None)];
    let after = "<p class=\"item-links\">同年另见：<a href=\"/plans/x/#item-3\">《甲&amp;乙\"丙\"》第3项</a></p>".to_string();
    links.blocks.insert(0, BlockMarkup { labels_before: 0, names, anchors: vec!["part-1".into()], after });
    assert_eq!(fast_equals_ammonia("1. 甲。（责任部门：科普部，省科技馆）\n", true, &links).unwrap(), (true, true));
    // A code block is HTML planport inserts (syntect's): taken when it needs no reference.
    assert_eq!(fast_equals_ammonia("```\n甲 x = 1\n```\n", false, &Markup::default()).unwrap(), (true, true));
    for body in ["[链接](/plans/a/)", "| 甲 |\n|---|\n| 1 |\n", "甲\n\n---\n", "甲  \n乙", "甲\\\n乙", "甲\u{a0}乙", "甲&nbsp;乙", "![图](/a.png)"]
    {
        assert_eq!(fast_equals_ammonia(body, false, &Markup::default()).unwrap(), (true, false), "taken as it is: {body:?}");
    }
}
