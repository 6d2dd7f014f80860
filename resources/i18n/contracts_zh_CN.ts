<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ContractTableModel</name>
    <message>
        <location filename="../../app/ui/models/contracts.py" line="30"/>
        <source>Head</source>
        <translation>户主</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/contracts.py" line="30"/>
        <source>Household no.</source>
        <translation>户编号</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/contracts.py" line="30"/>
        <source>Village group</source>
        <translation>村民小组</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/contracts.py" line="30"/>
        <source>Team</source>
        <translation>签约团队</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/contracts.py" line="31"/>
        <source>Packages</source>
        <translation>服务包</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/contracts.py" line="31"/>
        <source>Term</source>
        <translation>服务期</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/contracts.py" line="31"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/contracts.py" line="31"/>
        <source>Days left</source>
        <translation>剩余天数</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/contracts.py" line="32"/>
        <source>Services</source>
        <translation>履约次数</translation>
    </message>
</context>
<context>
    <name>ContractsPage</name>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="144"/>
        <source>Search: head&apos;s name or pinyin initials</source>
        <translation>搜索：户主姓名或拼音首字母</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="147"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="152"/>
        <source>All groups</source>
        <translation>全部小组</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="155"/>
        <source>Expiring within 30 days</source>
        <translation>30天内到期</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="156"/>
        <source>Signed but not served</source>
        <translation>签而不约</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="157"/>
        <source>Live contracts with no service recorded after the set number of days</source>
        <translation>签约满设定天数仍无任何履约记录的有效协议</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="172"/>
        <source>To sign a household, open it in Households and press Sign contract.</source>
        <translation>新签约：在“家庭档案”中选中家庭，点“签约…”</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="174"/>
        <source>Renew…</source>
        <translation>续约…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="175"/>
        <source>Dissolve…</source>
        <translation>解约…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="176"/>
        <source>Services done</source>
        <translation>履约记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="177"/>
        <source>Print agreement</source>
        <translation>打印协议书</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="178"/>
        <source>Print card</source>
        <translation>打印明白卡</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="179"/>
        <source>Print all listed…</source>
        <translation>批量打印…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="266"/>
        <source>Expiring within %d days</source>
        <translation>%d天内到期</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="282"/>
        <source>%1 contracts, %2 residents</source>
        <translation>共 %1 份协议，%2 人</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="285"/>
        <source>no service yet: %d</source>
        <translation>尚无履约 %d</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="400"/>
        <source>Agreement %s</source>
        <translation>协议书 %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="415"/>
        <source>Card of %s</source>
        <translation>%s家明白卡</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="439"/>
        <source>Preparing %d agreements…</source>
        <translation>正在生成 %d 份协议书…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="440"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="441"/>
        <source>Batch printing</source>
        <translation>批量打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="450"/>
        <source>Agreements (%d)</source>
        <translation>协议书（%d份）</translation>
    </message>
</context>
<context>
    <name>DissolveDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/dissolve_dialog.py" line="86"/>
        <source>Dissolve contract</source>
        <translation>解约</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/dissolve_dialog.py" line="88"/>
        <source>(choose a reason)</source>
        <translation>（请选择原因）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/dissolve_dialog.py" line="91"/>
        <source>Required when the reason is 其他</source>
        <translation>原因为“其他”时必须填写</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/dissolve_dialog.py" line="92"/>
        <source>Reason</source>
        <translation>解约原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/dissolve_dialog.py" line="93"/>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/dissolve_dialog.py" line="94"/>
        <source>Dissolved on</source>
        <translation>解约日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/dissolve_dialog.py" line="95"/>
        <source>Dissolve</source>
        <translation>解约</translation>
    </message>
</context>
<context>
    <name>PackageGrid</name>
    <message>
        <location filename="../../app/ui/widgets/package_grid.py" line="71"/>
        <source>Member</source>
        <translation>成员</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/package_grid.py" line="72"/>
        <source>%1
%2 yuan</source>
        <translation>%1
%2元</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/package_grid.py" line="74"/>
        <source>Fee (personal)</source>
        <translation>费用（个人）</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/package_grid.py" line="79"/>
        <source>For: %1
Services: %2</source>
        <translation>适用对象：%1
服务内容：%2</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/widgets/package_grid.py" line="114"/>
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n岁</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/package_grid.py" line="176"/>
        <source>Doctor&apos;s decision: %s</source>
        <translation>医生确认：%s</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/package_grid.py" line="201"/>
        <source>not signed</source>
        <translation>不签约</translation>
    </message>
</context>
<context>
    <name>PagePrinter</name>
    <message>
        <location filename="../../app/ui/widgets/page_printer.py" line="111"/>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/page_printer.py" line="112"/>
        <source>Stop</source>
        <translation>停止打印</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/page_printer.py" line="118"/>
        <source>Printing page %1 of %2…</source>
        <translation>正在打印第 %1 页，共 %2 页…</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="74"/>
        <source>Print preview</source>
        <translation>打印预览</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="78"/>
        <source>Cannot open the PDF file %s</source>
        <translation>无法打开PDF文件 %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="90"/>
        <source>of %d pages</source>
        <translation>/ 共 %d 页</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="91"/>
        <source>Previous</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="92"/>
        <source>Next</source>
        <translation>下一页</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="94"/>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="95"/>
        <source>Whole page</source>
        <translation>整页</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="98"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="99"/>
        <source>Save as PDF…</source>
        <translation>另存为PDF…</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="100"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="104"/>
        <source>Page</source>
        <translation>第</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="109"/>
        <source>Zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="176"/>
        <source>The printer could not be started.</source>
        <translation>打印机无法启动。</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="198"/>
        <source>Save as PDF</source>
        <translation>另存为PDF</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="199"/>
        <source>PDF file (*.pdf)</source>
        <translation>PDF文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../app/ui/widgets/pdf_preview.py" line="205"/>
        <source>Could not save the file: %s</source>
        <translation>文件保存失败：%s</translation>
    </message>
</context>
<context>
    <name>ProgressDialog</name>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="479"/>
        <source>Services of %s</source>
        <translation>%s家履约记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="485"/>
        <location filename="../../app/ui/pages/contracts.py" line="508"/>
        <source>Service</source>
        <translation>服务项目</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="485"/>
        <source>Promised</source>
        <translation>应提供</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="485"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="485"/>
        <source>Still due</source>
        <translation>尚缺</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="505"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="508"/>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="509"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="509"/>
        <source>By</source>
        <translation>服务人</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="513"/>
        <source>Record a service delivered</source>
        <translation>记录一次履约服务</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="530"/>
        <source>as needed</source>
        <translation>按需</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="546"/>
        <source>Please enter the date of the service.</source>
        <translation>请填写服务日期。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/contracts.py" line="518"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>RenewDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/dissolve_dialog.py" line="120"/>
        <source>Renew contract</source>
        <translation>续约</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/dissolve_dialog.py" line="123"/>
        <source>The new term starts the day after the old one ends, or on the renewal date if that is later.</source>
        <translation>新服务期从原协议到期的次日开始；如续约日期更晚，则从续约日期开始。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/dissolve_dialog.py" line="126"/>
        <source>Renewed on</source>
        <translation>续约日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/dissolve_dialog.py" line="128"/>
        <source>Renew</source>
        <translation>续约</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="104"/>
        <source>Sign a family-doctor contract</source>
        <translation>家庭医生签约</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="112"/>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="120"/>
        <source>New team…</source>
        <translation>新建团队…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="132"/>
        <source>Fees</source>
        <translation>费用</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="135"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="145"/>
        <source>yuan</source>
        <translation>元</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="154"/>
        <source>Team</source>
        <translation>签约团队</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="156"/>
        <source>Signing date</source>
        <translation>签约日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="165"/>
        <source>Tick the packages each member signs. Packages that fit a member are ticked; one that does not fit shows why, and ticking it anyway is recorded as the doctor&apos;s decision.</source>
        <translation>为每位成员勾选要签的服务包。适合的服务包已勾选；不适合的显示原因，仍要勾选的，记为医生确认。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="177"/>
        <source>Sign</source>
        <translation>签约</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="179"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="183"/>
        <source>Packages per member (price per person per year)</source>
        <translation>每位成员的服务包（每人每年价格）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="198"/>
        <source>New team</source>
        <translation>新建团队</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="205"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="207"/>
        <source>Create team</source>
        <translation>创建团队</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="209"/>
        <source>Team name</source>
        <translation>团队名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="211"/>
        <source>Team leader</source>
        <translation>团队长</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="214"/>
        <source>Village doctor</source>
        <translation>乡村医生</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="227"/>
        <source>household without a head</source>
        <translation>（无户主）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="230"/>
        <source>Household of %s</source>
        <translation>%s家</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="283"/>
        <source>Signed against the package conditions, by the doctor&apos;s decision: %s</source>
        <translation>不符合服务包适用条件、由医生确认签约：%s</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="349"/>
        <source>Signed</source>
        <translation>已签约</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="350"/>
        <source>Signed the household of %1: %n person(s).</source>
        <translation>
            <numerusform>已为%1户%n人签约。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="352"/>
        <source>Print the agreement (two copies) now?</source>
        <translation>现在打印签约协议书（一式两份）吗？</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="353"/>
        <source>Print agreement…</source>
        <translation>打印协议书…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="354"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="371"/>
        <source>Agreement</source>
        <translation>签约协议书</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_dialog.py" line="237"/>
        <source>Poor household: the personal share is paid by 财政补助, the resident pays nothing.</source>
        <translation>脱贫/监测户：个人部分由财政补助承担，居民个人不付费。</translation>
    </message>
</context>
<context>
    <name>_ContractDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/dissolve_dialog.py" line="51"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
</TS>
