//! Command-line definitions (clap). No logic here. The help is Chinese: editors read it.

use std::path::PathBuf;

use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "planport", version, about = "由 content/ 生成工作计划公开网站", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parse the command line with the help in Chinese (see [`chinese_help`]).
    pub fn parse_chinese() -> Cli {
        let mut command = chinese_help(Cli::command(), true);
        command.build();
        chinese_usage(&mut command);
        let matches = command.try_get_matches().unwrap_or_else(|e| usage_error(e));
        Cli::from_arg_matches(&matches).unwrap_or_else(|e| usage_error(e))
    }
}

/// The usage line of a built command and its subcommands with clap's `[OPTIONS]` and
/// `<COMMAND>` in Chinese (clap has no setting for these two words).
fn chinese_usage(command: &mut clap::Command) {
    let usage = command.render_usage().to_string();
    let usage = usage.trim_start_matches("Usage: ").replace("[OPTIONS]", "[选项]").replace("<COMMAND>", "<命令>");
    for sub in command.get_subcommands_mut() {
        chinese_usage(sub);
    }
    *command = std::mem::take(command).override_usage(usage);
}

/// A mistyped command line, said in Chinese with clap's own suggestion (E0904), exit 2. Help
/// and version requests are clap's (their text is Chinese already).
fn usage_error(e: clap::Error) -> ! {
    use clap::error::{ContextKind, ErrorKind};
    let said = |kind| e.get(kind).map(ToString::to_string).unwrap_or_default();
    let (arg, value) = (said(ContextKind::InvalidArg), said(ContextKind::InvalidValue));
    let message = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
        ErrorKind::InvalidSubcommand => format!("没有 {} 这个命令", said(ContextKind::InvalidSubcommand)),
        ErrorKind::UnknownArgument => format!("没有 {arg} 这个选项"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::MissingRequiredArgument => format!("缺少 {arg}"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!("{arg} 的值 {value} 不对"),
        ErrorKind::ArgumentConflict => format!("{arg} 不能与另一个选项同时使用"),
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!("{arg} 后面的值个数不对"),
        ErrorKind::InvalidUtf8 => "命令行里有不是 UTF-8 的文字".to_string(),
        _ => format!("命令行有误：{}", e.to_string().trim()),
    };
    const CODE: &str = "E0904";
    eprintln!("错误[{CODE}]：{message}");
    let suggested = [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg].into_iter().find_map(|k| e.get(k)).map(ToString::to_string);
    if let Some(s) = suggested {
        eprintln!(" = 提示：您是否想写 {s}？");
    } else if let Some(valid) = e.get(ContextKind::ValidValue) {
        eprintln!(" = 提示：可用的值：{valid}");
    } else if e.kind() == ErrorKind::ValueValidation && (arg.contains("年份") || arg.contains("日期")) {
        eprintln!(" = 提示：年份写半角数字，例如 2026；日期写成 2026-03 或 2026-03-15");
    }
    eprintln!(" = 提示：用 planport --help 查看所有命令，planport <命令> --help 查看该命令的选项");
    std::process::exit(2)
}

/// clap's own words in Chinese, on a command and all its subcommands: the headings, the help
/// and version flags, and defaults written into each option's help (clap's `[default: …]` is
/// English).
fn chinese_help(command: clap::Command, top: bool) -> clap::Command {
    let flag = |id: &'static str, short: char, action: ArgAction, help: &'static str| {
        Arg::new(id).short(short).long(id).action(action).help(help).help_heading("选项")
    };
    let mut command = command
        .help_template("{about}\n\n用法：{usage}\n\n{all-args}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .mut_args(|arg| {
            let defaults: Vec<String> = arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
            let arg = arg.help_heading("选项").hide_possible_values(true);
            if defaults.is_empty() || !matches!(arg.get_action(), ArgAction::Set | ArgAction::Append) {
                return arg;
            }
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            arg.help(format!("{help}（默认：{}）", defaults.join("、"))).hide_default_value(true)
        })
        .arg(flag("help", 'h', ArgAction::Help, "显示帮助"));
    if top {
        command = command.disable_version_flag(true).arg(flag("version", 'V', ArgAction::Version, "显示版本"));
    }
    command.mut_subcommands(|sub| chinese_help(sub, false))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 由 content/ 生成网站到 output/（整体替换：出错时 output/ 保持不变）
    Build {
        /// 内容文件夹
        #[arg(long, default_value = "content", value_name = "文件夹")]
        content: PathBuf,
        /// 网站输出到哪个文件夹
        #[arg(long, default_value = "output", value_name = "文件夹")]
        output: PathBuf,
        /// 网站发布的地址（覆盖 site.yaml 的 base_url），例如 https://example.org/portal/；
        /// 链接会带上其中的路径
        #[arg(long, value_name = "网址")]
        base_url: Option<String>,
        /// 有警告也按错误处理：不生成网站，退出码为 1。
        #[arg(long)]
        deny_warnings: bool,
        /// 在标准错误输出上打印每个阶段所用的时间（毫秒）。
        #[arg(long)]
        timings: bool,
    },
    /// 检查全部内容而不写文件；没有问题时退出码为 0，有错误时为 1
    Check {
        /// 内容文件夹
        #[arg(long, default_value = "content", value_name = "文件夹")]
        content: PathBuf,
        /// 输出格式：human（带插入符号的说明）、json（供 CI 读取）或 github（GitHub 注释）
        #[arg(long, value_enum, default_value_t = Format::Human, value_name = "格式")]
        format: Format,
        /// 有警告也按错误处理，退出码为 1（发布流程用它把好关）。
        #[arg(long)]
        deny_warnings: bool,
    },
    /// 在 127.0.0.1 上预览网站；每次修改都会重新生成并刷新打开的页面
    Serve {
        /// 内容文件夹
        #[arg(long, default_value = "content", value_name = "文件夹")]
        content: PathBuf,
        /// 预览网站写到哪个文件夹
        #[arg(long, default_value = "output", value_name = "文件夹")]
        output: PathBuf,
        /// 127.0.0.1 上的端口；0 表示自动选一个空闲端口
        #[arg(long, default_value_t = 1111, value_name = "端口")]
        port: u16,
    },
    /// 生成一份文档框架，供编辑填写
    New {
        #[command(subcommand)]
        what: NewKind,
        /// 内容文件夹
        #[arg(long, default_value = "content", global = true, value_name = "文件夹")]
        content: PathBuf,
    },
    /// 把正式文件的纯文本（PDF 提取）转换为 Markdown 文档和名录
    Import {
        /// 纯文本文件，例如 shared/seeds/*.txt
        #[arg(required = true, value_name = "文件")]
        files: Vec<PathBuf>,
        /// 写入哪个内容文件夹
        #[arg(long, default_value = "content", value_name = "文件夹")]
        into: PathBuf,
        /// 覆盖已经存在的文档
        #[arg(long)]
        force: bool,
        /// 原文没有责任部门标注的计划（如学会学术工作要点）由哪个部门牵头，例如 --lead 学会学术部；须是部门名录里的名称。
        #[arg(long, value_name = "部门")]
        lead: Option<String>,
        /// 确认这个新名称确是新部门或新城市，而不是已有名称的笔误（可重复：--accept-new 甲 --accept-new 乙）。
        #[arg(long, value_name = "名称")]
        accept_new: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum NewKind {
    /// 计划：content/plans/<slug>.md
    Plan {
        /// 计划的年份
        #[arg(long, value_name = "年份")]
        year: i32,
        /// 正式标题（默认为“河南省科协<年份>年工作要点”）
        #[arg(long, value_name = "标题")]
        title: Option<String>,
        /// 成文日期，YYYY-MM-DD
        #[arg(long, value_name = "日期")]
        date: Option<String>,
        /// 文件名和网址中的一段（默认为 <年份>-work-points）
        #[arg(long, value_name = "slug")]
        slug: Option<String>,
    },
    /// 城市报告：content/reports/<提交年份>/<城市 slug>.md
    Report {
        /// 城市，按 data/cities.yaml 的写法（郑州市、郑州或 zhengzhou）
        #[arg(long, value_name = "城市")]
        city: String,
        /// 报告所总结的年份
        #[arg(long, value_name = "年份")]
        year: i32,
        /// 提交日期：YYYY-MM 或 YYYY-MM-DD
        #[arg(long, value_name = "日期")]
        date: String,
        /// 标题（默认为“<年份>年工作情况和<下一年>年工作打算的汇报”）
        #[arg(long, value_name = "标题")]
        title: Option<String>,
        /// 文件名和网址中的一段（默认为城市的 slug）
        #[arg(long, value_name = "slug")]
        slug: Option<String>,
    },
}

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 编辑看的说明：源文本一行，插入符号标出有问题的文字
    Human,
    /// JSON 数组，每个问题一个对象 {code, severity, file, line, column, message, hint}，供 CI 读取
    Json,
    /// GitHub 工作流命令（::error file=…,line=…::…），在拉取请求中显示为注释
    Github,
}
