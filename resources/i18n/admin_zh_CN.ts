<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ClinicPage</name>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="83"/>
        <source>Clinic</source>
        <translation>卫生室信息</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="84"/>
        <source>Which clinic and village this computer keeps health files for.</source>
        <translation>这台电脑为哪个卫生室、哪个村建立健康档案。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="86"/>
        <source>e.g. Dongshan Village Clinic</source>
        <translation>例如：东山村卫生室</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="90"/>
        <source>12 digits, e.g. 522323104201</source>
        <translation>12位数字，例如 522323104201</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="93"/>
        <source>e.g. Dongshan Village</source>
        <translation>例如：东山村</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="98"/>
        <source>When several computers in one village create files, give each computer a different station number and the record numbers will never clash.</source>
        <translation>同一个村有多台电脑建档时，每台电脑用不同的机位号，档案号就不会重复</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="104"/>
        <source>Clinic name:</source>
        <translation>卫生室名称：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="105"/>
        <source>Village division code:</source>
        <translation>村区划代码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="107"/>
        <source>Village name:</source>
        <translation>村名称：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="108"/>
        <source>Station number:</source>
        <translation>机位号：</translation>
    </message>
    <message>
        <source>Division: %1</source>
        <translation>所属区划：%1</translation>
    </message>
    <message>
        <source>I have checked this code with the county; use it anyway</source>
        <translation>我已向县里核对过这个代码，仍然使用</translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="78"/>
        <source>Choose the file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="80"/>
        <source>The poor-household list from the county, as an Excel workbook (.xlsx).</source>
        <translation>县里下发的贫困户花名册，Excel 工作簿（.xlsx）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="84"/>
        <source>No file chosen</source>
        <translation>还没有选择文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="85"/>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="98"/>
        <source>Households and residents already on file are matched by ID number and updated; nothing is deleted. Rows with problems are skipped and listed at the end.</source>
        <translation>已有档案的家庭和居民按身份证号对应并更新，不会删除任何档案。有问题的行不导入，最后会列出来。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="105"/>
        <source>Choose the poor-household list</source>
        <translation>选择贫困户花名册</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="106"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="118"/>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="127"/>
        <source>Sheet “%1”: %2 rows, %3 columns.</source>
        <translation>工作表“%1”：共 %2 行、%3 列。</translation>
    </message>
</context>
<context>
    <name>FinishPage</name>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="210"/>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="211"/>
        <source>Check the details, then press Finish to create the clinic&apos;s database.</source>
        <translation>请核对以下信息，然后点“完成”创建卫生室数据库。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="225"/>
        <source>Clinic: %1</source>
        <translation>卫生室：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="226"/>
        <source>Village: %1 (%2)</source>
        <translation>村：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="228"/>
        <source>Station number: %1</source>
        <translation>机位号：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="229"/>
        <source>First user: %1 (%2)</source>
        <translation>第一个用户：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="232"/>
        <source>The data will be kept in: %1</source>
        <translation>数据保存位置：%1</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="250"/>
        <source>Set up Cunyi</source>
        <translation>村医 — 首次设置</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="424"/>
        <source>Import the poor-household list</source>
        <translation>导入贫困户花名册</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="153"/>
        <source>Match the columns</source>
        <translation>核对列对应</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="155"/>
        <source>Check which column of the file holds each item. Items marked required must be chosen.</source>
        <translation>请核对每一项对应表格中的哪一列。标有“必填”的项必须选择。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="158"/>
        <source>Start import</source>
        <translation>开始导入</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="162"/>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="162"/>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="174"/>
        <source>Required</source>
        <translation>必填</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="162"/>
        <source>Column in the file</source>
        <translation>表格中的列</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="195"/>
        <source>The first rows, as they will be read:</source>
        <translation>前几行的读取结果：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="208"/>
        <source>(not imported)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="229"/>
        <source>Please choose the column for: %1</source>
        <translation>请选择这些项对应的列：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="233"/>
        <source>Column “%1” is chosen for both “%2” and “%3”.</source>
        <translation>“%1”列同时被选给了“%2”和“%3”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="188"/>
        <source>Which is it?</source>
        <translation>请确认</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="238"/>
        <source>(please choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="244"/>
        <source>Column “%1” (column %2) could be any of these items:</source>
        <translation>“%1”列（%2列）可能是以下任一项：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="244"/>
        <source>Column “%1” could hold this item: please choose above.</source>
        <translation>“%1”列可能是这一项：请在上方选择。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="282"/>
        <source>Please say which item the column “%1” holds.</source>
        <translation>请选择“%1”列是哪一项。</translation>
    </message>
</context>
<context>
    <name>PackagesEditor</name>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="77"/>
        <source>New package</source>
        <translation>新增服务包</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="78"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="94"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="96"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="98"/>
        <source>Tier</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="99"/>
        <source>Price (yuan per person per year)</source>
        <translation>价格（元/人/年）</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="102"/>
        <source>Who pays (yuan)</source>
        <translation>付费方分担（元）</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="118"/>
        <source>Service</source>
        <translation>服务项目</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="118"/>
        <source>Times a year (0: as needed)</source>
        <translation>每年次数（0为按需）</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="124"/>
        <source>Add service</source>
        <translation>添加服务</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="125"/>
        <source>Remove service</source>
        <translation>删除服务</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="126"/>
        <source>Services</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="136"/>
        <source>For whom (leave empty: every resident)</source>
        <translation>适用对象（都不填：所有居民）</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="138"/>
        <source>Diagnosis (any of):</source>
        <translation>病种（有其一即可）：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="146"/>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="147"/>
        <source>Age from</source>
        <translation>年龄从</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="149"/>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="151"/>
        <source>years (both included, on the signing day)</source>
        <translation>岁（含两端，按签约当天周岁）</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="155"/>
        <source>Group (any of):</source>
        <translation>人群类型（属其一即可）：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="179"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="180"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="181"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="230"/>
        <source>the stored list</source>
        <translation>已保存的服务包列表</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="273"/>
        <location filename="../../app/ui/pages/packages_editor.py" line="341"/>
        <source>(new package)</source>
        <translation>（新服务包）</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="326"/>
        <source>Total %s yuan</source>
        <translation>合计 %s 元</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/pages/packages_editor.py" line="350"/>
        <source>%n package(s) still have errors (marked ⚠).</source>
        <translation>
            <numerusform>还有%n个服务包有错误（标有⚠）。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="352"/>
        <source>The list needs at least one package.</source>
        <translation>列表中至少要有一个服务包。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/pages/packages_editor.py" line="375"/>
        <source>Saved: %n package(s).</source>
        <translation>
            <numerusform>已保存：共%n个服务包。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="392"/>
        <source>Import service packages</source>
        <translation>导入服务包</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="393"/>
        <location filename="../../app/ui/pages/packages_editor.py" line="418"/>
        <source>TOML files (*.toml)</source>
        <translation>TOML文件 (*.toml)</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="401"/>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/pages/packages_editor.py" line="408"/>
        <source>Imported %n package(s) from %1; check them and save.</source>
        <translation>
            <numerusform>已从 %1 导入%n个服务包，请检查后保存。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="417"/>
        <source>Export service packages</source>
        <translation>导出服务包</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="425"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="428"/>
        <source>Exported to %s</source>
        <translation>已导出到 %s</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="78"/>
        <source>From the county (read-only)</source>
        <translation>来自县里（只读）</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="82"/>
        <source>This clinic&apos;s packages</source>
        <translation>本卫生室的服务包</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="190"/>
        <source>Copy as a local package</source>
        <translation>复制为本地服务包</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="192"/>
        <source>A county package cannot be changed here; a copy with a new code can.</source>
        <translation>县里下发的服务包不能在本机修改；复制一份并填写新的代码后可以修改。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="219"/>
        <source>The county&apos;s list of family-doctor service packages. Signed contracts keep the packages they were signed with; changes apply to new contracts. The list can be exchanged as a TOML file. Packages the county sends when this PC syncs come first and cannot be changed here.</source>
        <translation>本县的家庭医生签约服务包列表。已签的协议保留签约时的服务包；修改只用于新签的协议。列表可以用TOML文件导入导出。同步时县里下发的服务包排在前面，不能在本机修改。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="282"/>
        <source>%1 (from the county)</source>
        <translation>%1（来自县里）</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="290"/>
        <source>From the county · version %1 · %2. Sent by the county when this PC synced; it cannot be changed here.</source>
        <translation>来自县里 · 第 %1 版 · %2。由县里在同步时下发，不能在本机修改。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/packages_editor.py" line="315"/>
        <source>%1 (local copy)</source>
        <translation>%1（本地副本）</translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="275"/>
        <source>Importing</source>
        <translation>正在导入</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="276"/>
        <source>Please wait while the rows are imported.</source>
        <translation>正在导入，请稍候。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="300"/>
        <source>Reading the rows…</source>
        <translation>正在读取各行…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="310"/>
        <source>%1 of %2 rows</source>
        <translation>已处理 %1 / %2 行</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="318"/>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="333"/>
        <source>The import failed; nothing more was written.</source>
        <translation>导入中断，之后的行没有写入。</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="348"/>
        <source>Result</source>
        <translation>导入结果</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="349"/>
        <source>What was imported, and the rows that need a look.</source>
        <translation>导入了哪些数据，哪些行需要再看一看。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="354"/>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="358"/>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="354"/>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="358"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="354"/>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="358"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="354"/>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="358"/>
        <source>Note</source>
        <translation>提示</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="361"/>
        <source>Rows not imported</source>
        <translation>未导入的行</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="362"/>
        <source>Notes</source>
        <translation>提示</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="363"/>
        <source>Save the problem list…</source>
        <translation>保存问题清单…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="386"/>
        <source>Rows not imported (%1)</source>
        <translation>未导入的行（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="387"/>
        <source>Notes (%1)</source>
        <translation>提示（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="396"/>
        <source>Save the problem list</source>
        <translation>保存问题清单</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="397"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="410"/>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="419"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="424"/>
        <source>Rows skipped</source>
        <translation>跳过的行</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/import_wizard.py" line="451"/>
        <source>Rows skipped (%1)</source>
        <translation>跳过的行（%1）</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>This backup looks like another clinic's data: %1.

</source>
        <translation>这个备份像是另一个卫生室的数据：%1。

</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="1"/>
        <source>Unlock sign-in</source>
        <translation>解除登录锁定</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="1"/>
        <source>Locked (too many wrong passwords)</source>
        <translation>已锁定（密码错误次数过多）</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="1"/>
        <source>Only an administrator can add users, change roles or disable accounts. You can change your own password.</source>
        <translation>只有管理员可以新增用户、更改角色或停用账号；您可以修改自己的密码。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="1"/>
        <source>Disable user</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="1"/>
        <source>Disable %1? They will no longer be able to sign in.</source>
        <translation>停用 %1？停用后该用户将不能登录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="171"/>
        <source>Clinic</source>
        <translation>卫生室信息</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="172"/>
        <source>Users and roles</source>
        <translation>用户与角色</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="173"/>
        <source>Backup and restore</source>
        <translation>备份与恢复</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="190"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="195"/>
        <source>Clinic name:</source>
        <translation>卫生室名称：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="200"/>
        <source>Division code:</source>
        <translation>区划代码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="199"/>
        <source>The division code is fixed when the database is created.</source>
        <translation>区划代码在创建数据库时确定，之后不能修改。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="174"/>
        <source>Service packages</source>
        <translation>服务包</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="201"/>
        <source>Village name:</source>
        <translation>村名称：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="202"/>
        <source>Phone:</source>
        <translation>联系电话：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="203"/>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="219"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="219"/>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="219"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="220"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="221"/>
        <source>Add user…</source>
        <translation>添加用户…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="222"/>
        <source>Change role…</source>
        <translation>更改角色…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="223"/>
        <source>Reset password…</source>
        <translation>重设密码…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="224"/>
        <location filename="../../app/ui/pages/settings.py" line="354"/>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="244"/>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="247"/>
        <source>Backup folder:</source>
        <translation>备份文件夹：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="250"/>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="252"/>
        <source>Restore selected backup…</source>
        <translation>恢复所选备份…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="256"/>
        <source>Made at</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="256"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="256"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="265"/>
        <source>A backup is also made automatically every day. Keep a copy on a USB stick now and then.</source>
        <translation>程序每天也会自动备份。请不时把备份另存一份到U盘。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="306"/>
        <source>Please enter the village name.</source>
        <translation>请填写村名称。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="320"/>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="337"/>
        <source>Active</source>
        <translation>在用</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="337"/>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="354"/>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="390"/>
        <source>Change role</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="401"/>
        <source>User:</source>
        <translation>用户：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="402"/>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="426"/>
        <source>Backup folder</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="462"/>
        <source>Made by hand</source>
        <translation>手动备份</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="463"/>
        <source>Daily</source>
        <translation>每日自动</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="464"/>
        <source>On start</source>
        <translation>启动时</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="465"/>
        <source>Before a restore</source>
        <translation>恢复前</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="485"/>
        <source>Making a backup…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="491"/>
        <source>Backup made: %1</source>
        <translation>备份完成：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="507"/>
        <source>Restore backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="509"/>
        <source>Restore the backup made at %1?

All current data will be replaced by the data in this backup. A safety backup of the current data is made first.</source>
        <translation>要恢复 %1 的备份吗？

当前的全部数据将被这个备份中的数据替换。恢复之前会先把当前数据另做一个安全备份。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="548"/>
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="556"/>
        <source>Restored. The data from before the restore was saved in %1</source>
        <translation>已恢复。恢复前的数据已保存在 %1</translation>
    </message>
    <message>
        <source>Division code changed to %1.</source>
        <translation>区划代码已改为 %1。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="140"/>
        <source>From the county</source>
        <translation>来自县里</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="189"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="189"/>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="190"/>
        <source>For</source>
        <translation>适用范围</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="190"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="190"/>
        <source>Published</source>
        <translation>下发日期</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="194"/>
        <source>Service packages, policy packs and rule settings the county sends when this PC syncs, signed by the county. They are marked &apos;from the county&apos; and cannot be changed here; when the county withdraws one, this clinic&apos;s own setting applies again.</source>
        <translation>以下是本机同步时县里下发的服务包、报销政策包和规则设置，均有县里的签名。它们标为“来自县里”，不能在本机修改；县里撤回后，恢复使用本卫生室自己的设置。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="205"/>
        <source>Rule setting</source>
        <translation>规则设置</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="205"/>
        <source>Service package</source>
        <translation>服务包</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="206"/>
        <source>Policy pack</source>
        <translation>报销政策包</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="209"/>
        <source>%1, %2 yuan per person a year</source>
        <translation>%1，每人每年 %2 元</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="212"/>
        <source>%1, %2 to %3</source>
        <translation>%1，%2 至 %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="218"/>
        <source>%1 · from the county</source>
        <translation>%1 · 来自县里</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="224"/>
        <source>Nothing from the county yet: it comes with the first sync after enrolment.</source>
        <translation>还没有来自县里的配置：注册后第一次同步时由县里下发。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/pages/settings.py" line="225"/>
        <source>%n item(s) from the county.</source>
        <translation>
            <numerusform>来自县里的配置共 %n 项。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Forgot password…</source>
        <translation>忘记密码…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_in.py" line="1"/>
        <source>Wait %1 s</source>
        <translation>请等 %1 秒</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_in.py" line="31"/>
        <location filename="../../app/ui/dialogs/sign_in.py" line="58"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_in.py" line="64"/>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_in.py" line="65"/>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_in.py" line="80"/>
        <source>Please enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="114"/>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="115"/>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="116"/>
        <source>Full name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="117"/>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="118"/>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="120"/>
        <source>Reset password</source>
        <translation>重设密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="121"/>
        <source>User:</source>
        <translation>用户：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="122"/>
        <source>New password:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="123"/>
        <source>Password again:</source>
        <translation>再输一次密码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="124"/>
        <source>The password needs at least 6 characters.</source>
        <translation>密码至少6位。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="138"/>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一样。</translation>
    </message>
</context>
<context>
    <name>UserPage</name>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="158"/>
        <source>First user</source>
        <translation>第一个用户</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="159"/>
        <source>The person who signs in to this computer. More users can be added later in Settings.</source>
        <translation>在这台电脑上登录的人。以后可以在“设置”里添加更多用户。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="161"/>
        <source>letters or digits, no spaces</source>
        <translation>字母或数字，不要有空格</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="174"/>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="175"/>
        <source>Full name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="176"/>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="177"/>
        <source>Password again:</source>
        <translation>再输一次密码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="178"/>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="179"/>
        <source>The password needs at least 6 characters.</source>
        <translation>密码至少6位。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="192"/>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一样。</translation>
    </message>
</context>
<context>
    <name>roles</name>
    <message>
        <location filename="../../app/ui/i18n.py" line="67"/>
        <source>Village doctor</source>
        <translation>村医</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="68"/>
        <source>Township administrator</source>
        <translation>乡镇管理员</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="69"/>
        <source>County administrator</source>
        <translation>县管理员</translation>
    </message>
</context>
<context>
    <name>ChangeDivisionDialog</name>
    <message>
        <source>Correct the division code</source>
        <translation>更正区划代码</translation>
    </message>
    <message>
        <source>12 digits</source>
        <translation>12位数字</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>更改…</translation>
    </message>
    <message>
        <source>Current code:</source>
        <translation>当前代码：</translation>
    </message>
    <message>
        <source>New code:</source>
        <translation>新代码：</translation>
    </message>
    <message>
        <source>Village name:</source>
        <translation>村名称：</translation>
    </message>
    <message>
        <source>Division: %1</source>
        <translation>所属区划：%1</translation>
    </message>
    <message>
        <source>I have checked this code with the county; use it anyway</source>
        <translation>我已向县里核对过这个代码，仍然使用</translation>
    </message>
    <message>
        <source>New households and new health-record numbers will use the new code. Records that already exist keep their numbers.</source>
        <translation>新建的家庭和新的健康档案编号将使用新代码；已有的档案保留原来的编号。</translation>
    </message>
    <message>
        <source>Change this clinic's division code from %1 to %2 (%3)?

From now on: new households are filed under %2 and new health-record numbers begin with %2; the township of teams and the village of imported lists follow the new code.

Not renumbered: the %4 existing household(s) stay under %1, and the %5 existing health-record number(s) and household numbers keep the old code, as printed on paper files and cards.

The change is written to the audit log.</source>
        <translation>把本卫生室的区划代码从 %1 改为 %2（%3）？

从现在起：新建的家庭放在 %2 下，新的健康档案编号以 %2 开头；签约团队的默认乡镇、导入名单时对本村的识别也按新代码。

不会重新编号：已有的 %4 户家庭仍在 %1 下；已有的 %5 份健康档案编号和户编号保留旧代码（它们已印在纸质档案和卡片上）。

这次更改会记入操作日志。</translation>
    </message>
</context>
<context>
    <name>DivisionCodeControls</name>
    <message>
        <source>Correct…</source>
        <translation>更正…</translation>
    </message>
    <message>
        <source>New records use this code; a wrong one can be corrected here.</source>
        <translation>新建档案使用此代码；填错了可以在这里更正。</translation>
    </message>
    <message>
        <source>Only a township or county administrator can correct the division code.</source>
        <translation>只有乡镇或县管理员可以更正区划代码。</translation>
    </message>
</context>
<context>
    <name>RestoreDone</name>
    <message>
        <source>Restore finished: the data is now the backup of %1.</source>
        <translation>恢复成功：当前数据已换成 %1 的备份。</translation>
    </message>
    <message>
        <source>Restore finished: the data is now the backup of %1.
The database that could not be used was not deleted; it was moved to %2.</source>
        <translation>恢复成功：当前数据已换成 %1 的备份。
原来无法使用的数据库没有删除，已移到 %2。</translation>
    </message>
    <message>
        <source>the backup</source>
        <translation>所选备份</translation>
    </message>
    <message>
        <source>made by hand</source>
        <translation>手动备份</translation>
    </message>
    <message>
        <source>daily</source>
        <translation>每日备份</translation>
    </message>
    <message>
        <source>on start</source>
        <translation>启动时备份</translation>
    </message>
    <message>
        <source>before a restore</source>
        <translation>恢复前</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Restore finished: the data is now the backup of %1.
The data from before the restore was not deleted; it was saved as %2 and is listed among the backups as 'before a restore'.</source>
        <translation>恢复成功：当前数据已换成 %1 的备份。
恢复前的数据没有删除，已另存为 %2，在备份列表中显示为“恢复前”。</translation>
    </message>
    <message>
        <source>Backup restored</source>
        <translation>备份已恢复</translation>
    </message>
</context>
<context>
    <name>DamagedStart</name>
    <message>
        <source>Database damaged</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <source>The clinic database %1 is damaged (%2) and no good backup was found in %3.

Nothing was changed. Copy the file and ask the county IT staff for help.</source>
        <translation>卫生室数据库 %1 已损坏（%2），在 %3 中没有找到完好的备份。

没有做任何改动。请复制这个文件，并联系县里的信息技术人员。</translation>
    </message>
    <message>
        <source>The clinic database %1 is damaged (%2).

The newest good backup is from %3:
%4

Restore it now? The damaged file is moved aside, not deleted; changes made after that backup are not in it.</source>
        <translation>卫生室数据库 %1 已损坏（%2）。

最新的完好备份是 %3 的：
%4

现在用它恢复吗？损坏的文件会移到一旁保存，不会删除；这个备份之后所做的修改不在其中。</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Backup restored</source>
        <translation>备份已恢复</translation>
    </message>
    <message>
        <source>The backup of %1 is now the clinic's data. The damaged file was moved to %2.</source>
        <translation>现在卫生室的数据是 %1 的备份。损坏的文件已移到 %2。</translation>
    </message>
</context>
<context>
    <name>outputs</name>
    <message>
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <source>The clinic's data is now encrypted. Write this recovery key on paper and keep it in the clinic's safe. With it, a new password can be set when every password is forgotten, and backups can be opened on another PC. It is shown only this once.</source>
        <translation>本卫生室的数据已加密。请把下面的恢复密钥抄在纸上，放在卫生室的保险柜里。忘记所有密码时，可以用它重新设置密码；在另一台电脑上打开备份时也要用它。恢复密钥只显示这一次。</translation>
    </message>
    <message>
        <source>I have written it down</source>
        <translation>我已抄下</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>RecoverDialog</name>
    <message>
        <source>Set a new password with the recovery key</source>
        <translation>用恢复密钥重新设置密码</translation>
    </message>
    <message>
        <source>Type the recovery key written down when the clinic's data was encrypted (28 letters and digits), the user whose password is forgotten, and a new password for them.</source>
        <translation>请输入数据加密时抄下的恢复密钥（28个字母和数字）、忘记密码的用户名，以及新密码。</translation>
    </message>
    <message>
        <source>Recovery key:</source>
        <translation>恢复密钥：</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>New password:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <source>New password again:</source>
        <translation>再次输入新密码：</translation>
    </message>
    <message>
        <source>Set password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
</context>
</TS>
