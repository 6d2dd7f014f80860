<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ClaimDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/claim_dialog.py" line="127"/>
        <source>Estimate a settlement</source>
        <translation>报销测算</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_dialog.py" line="127"/>
        <source>New claim</source>
        <translation>录入就医结算</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_dialog.py" line="140"/>
        <source>Find the resident: name, pinyin initials, ID or record no.</source>
        <translation>查找居民：姓名、拼音首字母、身份证号或档案号</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_dialog.py" line="145"/>
        <source>No resident chosen</source>
        <translation>尚未选择居民</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_dialog.py" line="177"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_dialog.py" line="178"/>
        <source>Print estimate…</source>
        <translation>打印测算单…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_dialog.py" line="179"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_dialog.py" line="179"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_dialog.py" line="242"/>
        <source>Nobody found</source>
        <translation>没有找到</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_dialog.py" line="262"/>
        <source>category: %s</source>
        <translation>人员类别：%s</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_dialog.py" line="292"/>
        <location filename="../../app/ui/dialogs/claim_dialog.py" line="329"/>
        <source>Correct the field marked in red to see the settlement.</source>
        <translation>请先改正标红的内容，再查看结算结果。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_dialog.py" line="296"/>
        <source>Choose the resident, then enter the dates and the total cost: the settlement is worked out as you type.</source>
        <translation>先选择居民，再填写日期和医疗总费用：边填边算出结算结果。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_dialog.py" line="369"/>
        <source>Estimate for %s</source>
        <translation>%s 的报销测算</translation>
    </message>
</context>
<context>
    <name>ClaimForm</name>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="85"/>
        <source>From the hospital&apos;s settlement slip</source>
        <translation>按医院结算单录入</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="86"/>
        <source>Estimate only</source>
        <translation>仅预估</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="102"/>
        <source>Referred</source>
        <translation>已转诊</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="104"/>
        <source>as printed on the slip</source>
        <translation>按结算单填写</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="112"/>
        <source>e.g. C16.9</source>
        <translation>如 C16.9</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="125"/>
        <source>Episode</source>
        <translation>就医类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="126"/>
        <source>Hospital level</source>
        <translation>医院级别</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="127"/>
        <source>Where</source>
        <translation>就医地</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="128"/>
        <source>Hospital</source>
        <translation>医疗机构</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="129"/>
        <source>Settlement no.</source>
        <translation>结算单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="130"/>
        <source>Admitted (or visit)</source>
        <translation>入院（就诊）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="131"/>
        <source>Discharged (settled)</source>
        <translation>出院（结算）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="132"/>
        <source>Diagnosis</source>
        <translation>诊断</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="133"/>
        <source>Major-disease code</source>
        <translation>大病编码</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="134"/>
        <location filename="../../app/ui/dialogs/claim_form.py" line="257"/>
        <source>Total cost</source>
        <translation>医疗总费用</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="135"/>
        <location filename="../../app/ui/dialogs/claim_form.py" line="258"/>
        <source>Out of catalogue</source>
        <translation>目录外费用</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="147"/>
        <source>Fee items by category (optional, for fee waivers)</source>
        <translation>分类费用（选填，用于减免）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="166"/>
        <source>Amounts on the slip (optional; compared with the estimate)</source>
        <translation>结算单上的金额（选填，与测算核对）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="168"/>
        <source>Each payer&apos;s line appears once the dates choose a policy pack.</source>
        <translation>填好日期、选定政策包后，这里列出各报销项目。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="186"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="252"/>
        <source>optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="288"/>
        <source>Choose the resident first</source>
        <translation>请先选择就医的居民</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="290"/>
        <source>Enter the total cost from the slip</source>
        <translation>请填写医疗总费用</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/claim_form.py" line="292"/>
        <source>Enter the discharge (settlement) date</source>
        <translation>请填写出院（结算）日期</translation>
    </message>
</context>
<context>
    <name>ClaimTableModel</name>
    <message>
        <location filename="../../app/ui/models/claims.py" line="43"/>
        <source>Resident</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="43"/>
        <source>Group</source>
        <translation>村民小组</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="43"/>
        <source>Category</source>
        <translation>人员类别</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="43"/>
        <source>Episode</source>
        <translation>就医类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="44"/>
        <source>Hospital</source>
        <translation>医疗机构</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="44"/>
        <source>Dates</source>
        <translation>就医日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="44"/>
        <source>Total</source>
        <translation>总费用</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="44"/>
        <source>Reimbursed</source>
        <translation>报销合计</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="45"/>
        <source>Self-pay</source>
        <translation>个人自付</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="45"/>
        <source>Actual ratio</source>
        <translation>实际报销比例</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="45"/>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="45"/>
        <source>Slip check</source>
        <translation>结算单核对</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="111"/>
        <source>County target %1%</source>
        <translation>县定目标 %1%</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="119"/>
        <source>Reason: %s</source>
        <translation>原因：%s</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="133"/>
        <source>n/a</source>
        <translation>不适用</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="134"/>
        <source>met</source>
        <translation>达标</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="134"/>
        <source>not met</source>
        <translation>未达标</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="143"/>
        <source>reversal entry</source>
        <translation>冲账记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="146"/>
        <source>estimate</source>
        <translation>预估</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="148"/>
        <source>differs</source>
        <translation>不一致</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="150"/>
        <source>matches</source>
        <translation>一致</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/claims.py" line="152"/>
        <source>reversed</source>
        <translation>已冲账</translation>
    </message>
</context>
<context>
    <name>ClaimsPage</name>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="108"/>
        <source>Search: name, pinyin initials, record no. or slip no.</source>
        <translation>搜索：姓名、拼音首字母、档案号或结算单号</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="111"/>
        <source>All years</source>
        <translation>全部年度</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="116"/>
        <source>All groups</source>
        <translation>全部小组</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="119"/>
        <source>Only below the county target</source>
        <translation>只看未达标</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="120"/>
        <source>Show reversed</source>
        <translation>显示已冲账</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="138"/>
        <location filename="../../app/ui/pages/claims.py" line="317"/>
        <source>Choose a claim in the list</source>
        <translation>请在列表中选择一条结算</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="167"/>
        <source>New claim…</source>
        <translation>录入结算…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="168"/>
        <source>Estimate…</source>
        <translation>报销测算…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="169"/>
        <source>Work out a settlement before the stay; nothing is stored</source>
        <translation>就医前估算报销，不保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="170"/>
        <source>Reverse…</source>
        <translation>冲账…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="171"/>
        <source>Print settlement form</source>
        <translation>打印结算单</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="289"/>
        <source>%1 claims, %2 of the %3 with a county target below it</source>
        <translation>共 %1 条；有县定目标的 %3 条中未达标 %2 条</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="293"/>
        <source>settled slips: total %1, self-pay %2, actual ratio %3%</source>
        <translation>已结算合计：总费用 %1，个人自付 %2，实际报销比例 %3%</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="322"/>
        <source>estimate</source>
        <translation>预估</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="322"/>
        <source>slip</source>
        <translation>结算单</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="328"/>
        <source>Reversal entry, reason: %s</source>
        <translation>冲账记录，原因：%s</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="330"/>
        <source>Reversed: no longer counted in the resident&apos;s year</source>
        <translation>已冲账：不再计入本年度累计</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="332"/>
        <source>The slip differs from the estimate: check the lines marked in red</source>
        <translation>结算单与测算不一致：请核对标红的项目</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/claims.py" line="388"/>
        <source>Settlement of %s</source>
        <translation>结算单 %s</translation>
    </message>
</context>
<context>
    <name>ReverseDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/reverse_dialog.py" line="35"/>
        <source>Reverse a claim</source>
        <translation>冲账</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/reverse_dialog.py" line="37"/>
        <source>%1, %2, %3 to %4, total %5</source>
        <translation>%1，%2，%3 至 %4，总费用 %5</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/reverse_dialog.py" line="42"/>
        <source>The claim stays on file, marked as reversed, and no longer counts toward the resident&apos;s year. Enter the corrected claim afterwards if needed.</source>
        <translation>原结算保留在档，标为已冲账，不再计入本年度累计。如需更正，冲账后再录入正确的结算。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/reverse_dialog.py" line="48"/>
        <source>e.g. the hospital settled the stay again</source>
        <translation>如：医院重新结算</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/reverse_dialog.py" line="56"/>
        <source>Reverse</source>
        <translation>冲账</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/reverse_dialog.py" line="58"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/reverse_dialog.py" line="62"/>
        <source>Reason</source>
        <translation>冲账原因</translation>
    </message>
</context>
<context>
    <name>SettlementPanel</name>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="58"/>
        <source>Example numbers, not any county&apos;s official policy</source>
        <translation>示例数值，并非任何县的正式政策</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="66"/>
        <source>Payer</source>
        <translation>报销项目</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="66"/>
        <source>Base</source>
        <translation>计算基数</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="66"/>
        <source>Deductible</source>
        <translation>计入起付线</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="66"/>
        <source>Ratio</source>
        <translation>比例</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="67"/>
        <source>Amount</source>
        <translation>测算金额</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="67"/>
        <source>On the slip</source>
        <translation>结算单</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="67"/>
        <source>Difference</source>
        <translation>差额</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="89"/>
        <source>Total cost</source>
        <translation>医疗总费用</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="89"/>
        <source>Waived</source>
        <translation>减免</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="90"/>
        <source>Reimbursed</source>
        <translation>报销合计</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="90"/>
        <source>Self-pay</source>
        <translation>个人自付</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="91"/>
        <source>Actual ratio</source>
        <translation>实际报销比例</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="91"/>
        <source>County target</source>
        <translation>县定目标</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="190"/>
        <source>Policy pack: %1 · person category: %2</source>
        <translation>政策包：%1 · 人员类别：%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="212"/>
        <source>met</source>
        <translation>达标</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="212"/>
        <source>not met</source>
        <translation>未达标</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="216"/>
        <source>Totals as printed on the hospital&apos;s slip</source>
        <translation>合计按医院结算单</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="217"/>
        <source>Estimated with the policy pack; the hospital&apos;s slip is authoritative</source>
        <translation>按政策包测算，以医院结算单为准</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="221"/>
        <source>Worked out with the policy pack, to check the slip:</source>
        <translation>按政策包测算（用于核对结算单）：</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="231"/>
        <source>ceiling</source>
        <translation>兜底</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="232"/>
        <source>bands</source>
        <translation>分段</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="264"/>
        <source>The slip differs from the estimate</source>
        <translation>结算单与测算不一致</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="273"/>
        <source>Total %1, out of catalogue %2, policy scope %3</source>
        <translation>医疗总费用 %1，其中目录外 %2，政策范围内 %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="278"/>
        <source>Waived%1: %2 %3 × %4 = %5</source>
        <translation>减免%1：%2 %3 × %4 = %5</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="286"/>
        <source>Self-pay: %1 − reimbursed %2 − waived %3 = %4</source>
        <translation>个人自付：%1 − 报销 %2 − 减免 %3 = %4</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="290"/>
        <source>Self-pay: %1 − %2 = %3</source>
        <translation>个人自付：%1 − %2 = %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="292"/>
        <source>Actual ratio: %1 ÷ %2 = %3%</source>
        <translation>实际报销比例：%1 ÷ %2 = %3%</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="297"/>
        <source>County target %1%: met</source>
        <translation>县定目标 %1%：达标</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="298"/>
        <source>County target %1%: not met</source>
        <translation>县定目标 %1%：未达标</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="59"/>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="301"/>
        <source>The pack holds example numbers, not any county&apos;s official policy.</source>
        <translation>注意：所用政策包是示例数值，并非任何县的正式标准。</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="209"/>
        <source>n/a</source>
        <translation>不适用</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="295"/>
        <source>County target: not applicable (%s)</source>
        <translation>县定目标：不适用（%s）</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="302"/>
        <source>This is an estimate; the hospital&apos;s settlement slip is authoritative.</source>
        <translation>（按政策包估算，以医疗机构的结算单为准。）</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/settlement_panel.py" line="306"/>
        <source>Year %1 so far (with this one): %2 claims, %3 stays, reimbursed %4, self-pay %5</source>
        <translation>%1 年累计（含本次）：就医 %2 次（住院 %3 次），报销 %4，个人自付 %5</translation>
    </message>
</context>
</TS>
