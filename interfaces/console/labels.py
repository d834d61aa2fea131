"""The console's words: each business term in Chinese and English, as the README's glossary
has them, and how money and ratios are shown."""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup, escape

TERMS: dict[str, tuple[str, str]] = {
    # pages
    "overview": ("概览", "Overview"),
    "audit": ("审计追踪", "Audit trail"),
    "settlements": ("结算与对账", "Settlements and reconciliation"),
    "budgets": ("总额预算", "Budgets"),
    "archive": ("档案", "Archive"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出", "Sign out"),
    "token": ("接口令牌", "API token"),
    # the read side
    "log_head": ("日志头位置", "Log head"),
    "projection": ("投影", "Projection"),
    "position": ("位置", "Position"),
    "lag": ("延迟", "Lag"),
    "failure": ("故障", "Failure"),
    "last_progress": ("最近进展", "Last progress"),
    "chain": ("审计链", "Audit chain"),
    "verify": ("校验", "Verify"),
    "verified_up_to": ("已校验至", "Verified up to"),
    "head_hash": ("链头哈希", "Head hash"),
    # the audit trail
    "event": ("事件", "Event"),
    "event_type": ("事件类型", "Event type"),
    "aggregate": ("聚合", "Aggregate"),
    "aggregate_id": ("聚合编号", "Aggregate id"),
    "version": ("版本", "Version"),
    "actor": ("操作人", "Actor"),
    "role": ("角色", "Role"),
    "reason": ("事由", "Reason"),
    "request_id": ("请求号", "Request id"),
    "recorded_at": ("记录时间", "Recorded at"),
    "since": ("起", "Since"),
    "until": ("止", "Until"),
    "as_of": ("截至时点", "As of instant"),
    "timeline": ("时间线", "Timeline"),
    "state": ("状态", "State"),
    "previous": ("上一版本", "Previous version"),
    "changed": ("已变更", "changed"),
    "field": ("字段", "Field"),
    "personal_data_read": ("调阅登记", "Personal-data read recorded"),
    # money
    "reconciliation": ("对总账", "Reconciliation"),
    "settlement": ("结算", "Settlement"),
    "settlement_id": ("结算编号", "Settlement id"),
    "institution": ("定点医疗机构", "Institution"),
    "institution_code": ("机构编码", "Institution code"),
    "date": ("日期", "Date"),
    "year": ("年度", "Year"),
    "scheme": ("险种", "Scheme"),
    "employee": ("职工医保", "Employee scheme"),
    "resident": ("城乡居民医保", "Resident scheme"),
    "count": ("笔数", "Count"),
    "status": ("状态", "Status"),
    "total": ("医疗费总额", "Total"),
    "out_of_scope": ("丙类（全自费）", "Out of scope (C)"),
    "self_pay_first": ("先行自付", "Self-pay first (B)"),
    "eligible": ("符合范围", "Eligible"),
    "deductible": ("起付线", "Deductible"),
    "ratio": ("报销比例", "Ratio"),
    "fund_raw": ("按比例应付", "Fund share before cap"),
    "over_cap": ("超封顶线", "Over the annual cap"),
    "fund_pay": ("基金支付", "Fund pay"),
    "basic_fund_pay": ("统筹基金", "Basic fund"),
    "major_fund_pay": ("大额", "Major layer"),
    "person_share": ("个人负担", "Person's share"),
    "account_pay": ("个人账户支付", "Personal account"),
    "cash_pay": ("现金支付", "Cash"),
    "policy_version": ("政策版本", "Policy version"),
    "reason_codes": ("原因码", "Reason codes"),
    "service_date": ("就诊日期", "Service date"),
    "budget": ("总额预算", "Budget"),
    "prorated_budget": ("按进度预算", "Prorated budget"),
    "year_to_date_fund_pay": ("年内基金支付", "Fund pay this year"),
    "prepaid": ("按月预付", "Prepaid"),
    "use_ratio": ("预算使用率", "Use of the budget"),
    "prorated_use_ratio": ("按进度使用率", "Use of the prorated budget"),
    "warnings": ("预警", "Warnings"),
    "clearing": ("年终清算", "Year-end clearing"),
    # the archive
    "record": ("档案记录", "Record"),
    "archive_number": ("档号", "Archive number"),
    "record_class": ("档案门类", "Record class"),
    "retention": ("保管期限", "Retention"),
    "formed_date": ("形成日期", "Formed"),
    "due_date": ("到期日", "Due date"),
    "due_before": ("到期早于", "Due before"),
    "held": ("封存", "Held"),
    "hold": ("封存", "Hold"),
    "volume": ("卷", "Volume"),
    "volumes": ("月度案卷", "Monthly volumes"),
    "record_count": ("件数", "Records"),
    "seal": ("封卷哈希", "Seal"),
    "sealed": ("已封卷", "Sealed"),
    "disposal": ("销毁", "Disposal"),
    "holds": ("封存", "Holds"),
    "scope": ("范围", "Scope"),
    "legal_basis": ("法律依据", "Legal basis"),
    "active": ("生效", "active"),
    "released": ("已解除", "released"),
    "release": ("解除封存", "Release"),
    "place_hold": ("封存", "Place a hold"),
    "disposal_register": ("销毁清册", "Disposal register"),
    "appraisal_opinion": ("鉴定意见", "Appraisal opinion"),
    "proposed_by": ("提议人", "Proposed by"),
    "approved_by": ("审批人", "Approved by"),
    "approve": ("审批销毁", "Approve"),
    "propose_disposal": ("提议销毁", "Propose a disposal"),
    "package": ("移交包", "Retention package"),
    "export": ("导出", "Export"),
    "download": ("下载", "Download"),
    "summary": ("摘要", "Summary"),
    "any": ("全部", "any"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "search": ("查询", "Search"),
    "show": ("显示", "Show"),
    "next_page": ("下一页", "Next page"),
}


def label(key: str) -> Markup:
    """`<span lang="zh">中文</span> English`: both languages, the Chinese marked as such."""
    chinese, english = TERMS.get(key, ("", key))
    return Markup('<span lang="zh-CN">{}</span> {}').format(chinese, english)


def money(value: Decimal | str | None) -> str:
    """`1,234.56`; nothing for a missing figure."""
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}"


def percent(value: Decimal | str | None) -> str:
    if value is None:
        return "—"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.01')).normalize():f} %"


__all__ = ["TERMS", "escape", "label", "money", "percent"]
