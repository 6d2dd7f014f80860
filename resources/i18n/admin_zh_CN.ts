<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ClinicPage</name>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="65" />
        <source>Clinic</source>
        <translation>卫生室信息</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="66" />
        <source>Which clinic and village this computer keeps health files for.</source>
        <translation>这台电脑为哪个卫生室、哪个村建立健康档案。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="68" />
        <source>e.g. Dongshan Village Clinic</source>
        <translation>例如：东山村卫生室</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="72" />
        <source>12 digits, e.g. 522323104201</source>
        <translation>12位数字，例如 522323104201</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="75" />
        <source>e.g. Dongshan Village</source>
        <translation>例如：东山村</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="80" />
        <source>When several computers in one village create files, give each computer a different station number and the record numbers will never clash.</source>
        <translation>同一个村有多台电脑建档时，每台电脑用不同的机位号，档案号就不会重复</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="86" />
        <source>Clinic name:</source>
        <translation>卫生室名称：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="87" />
        <source>Village division code:</source>
        <translation>村区划代码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="89" />
        <source>Village name:</source>
        <translation>村名称：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="90" />
        <source>Station number:</source>
        <translation>机位号：</translation>
    </message>
</context>
<context>
    <name>FinishPage</name>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="192" />
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="193" />
        <source>Check the details, then press Finish to create the clinic's database.</source>
        <translation>请核对以下信息，然后点“完成”创建卫生室数据库。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="207" />
        <source>Clinic: %1</source>
        <translation>卫生室：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="208" />
        <source>Village: %1 (%2)</source>
        <translation>村：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="210" />
        <source>Station number: %1</source>
        <translation>机位号：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="211" />
        <source>First user: %1 (%2)</source>
        <translation>第一个用户：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="214" />
        <source>The data will be kept in: %1</source>
        <translation>数据保存位置：%1</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="232" />
        <source>Set up Cunyi</source>
        <translation>村医 — 首次设置</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="160" />
        <source>Clinic</source>
        <translation>卫生室信息</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="161" />
        <source>Users and roles</source>
        <translation>用户与角色</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="162" />
        <source>Backup and restore</source>
        <translation>备份与恢复</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="177" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="182" />
        <source>Clinic name:</source>
        <translation>卫生室名称：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="183" />
        <source>Division code:</source>
        <translation>区划代码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="184" />
        <source>The division code is fixed when the database is created.</source>
        <translation>区划代码在创建数据库时确定，之后不能修改。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="185" />
        <source>Village name:</source>
        <translation>村名称：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="186" />
        <source>Phone:</source>
        <translation>联系电话：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="187" />
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="199" />
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="199" />
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="199" />
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="200" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="201" />
        <source>Add user…</source>
        <translation>添加用户…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="202" />
        <source>Change role…</source>
        <translation>更改角色…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="203" />
        <source>Reset password…</source>
        <translation>重设密码…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="204" />
        <location filename="../../app/ui/pages/settings.py" line="332" />
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="224" />
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="227" />
        <source>Backup folder:</source>
        <translation>备份文件夹：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="230" />
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="232" />
        <source>Restore selected backup…</source>
        <translation>恢复所选备份…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="236" />
        <source>Made at</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="236" />
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="236" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="245" />
        <source>A backup is also made automatically every day. Keep a copy on a USB stick now and then.</source>
        <translation>程序每天也会自动备份。请不时把备份另存一份到U盘。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="285" />
        <source>Please enter the village name.</source>
        <translation>请填写村名称。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="299" />
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="316" />
        <source>Active</source>
        <translation>在用</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="316" />
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="332" />
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="368" />
        <source>Change role</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="379" />
        <source>User:</source>
        <translation>用户：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="380" />
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="404" />
        <source>Backup folder</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="439" />
        <source>Made by hand</source>
        <translation>手动备份</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="440" />
        <source>Daily</source>
        <translation>每日自动</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="441" />
        <source>On start</source>
        <translation>启动时</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="442" />
        <source>Before a restore</source>
        <translation>恢复前</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="462" />
        <source>Making a backup…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="468" />
        <source>Backup made: %1</source>
        <translation>备份完成：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="484" />
        <source>Restore backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="486" />
        <source>Restore the backup made at %1?

All current data will be replaced by the data in this backup. A safety backup of the current data is made first.</source>
        <translation>要恢复 %1 的备份吗？

当前的全部数据将被这个备份中的数据替换。恢复之前会先把当前数据另做一个安全备份。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="499" />
        <source>Restored. The data from before the restore was saved in %1</source>
        <translation>已恢复。恢复前的数据已保存在 %1</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/sign_in.py" line="30" />
        <location filename="../../app/ui/dialogs/sign_in.py" line="56" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_in.py" line="62" />
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_in.py" line="63" />
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/sign_in.py" line="78" />
        <source>Please enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="106" />
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="107" />
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="108" />
        <source>Full name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="109" />
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="110" />
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="112" />
        <source>Reset password</source>
        <translation>重设密码</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="113" />
        <source>User:</source>
        <translation>用户：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="114" />
        <source>New password:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="115" />
        <source>Password again:</source>
        <translation>再输一次密码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="116" />
        <source>The password needs at least 6 characters.</source>
        <translation>密码至少6位。</translation>
    </message>
    <message>
        <location filename="../../app/ui/pages/settings.py" line="130" />
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一样。</translation>
    </message>
</context>
<context>
    <name>UserPage</name>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="140" />
        <source>First user</source>
        <translation>第一个用户</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="141" />
        <source>The person who signs in to this computer. More users can be added later in Settings.</source>
        <translation>在这台电脑上登录的人。以后可以在“设置”里添加更多用户。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="143" />
        <source>letters or digits, no spaces</source>
        <translation>字母或数字，不要有空格</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="156" />
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="157" />
        <source>Full name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="158" />
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="159" />
        <source>Password again:</source>
        <translation>再输一次密码：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="160" />
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="161" />
        <source>The password needs at least 6 characters.</source>
        <translation>密码至少6位。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_run.py" line="174" />
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一样。</translation>
    </message>
</context>
<context>
    <name>roles</name>
    <message>
        <location filename="../../app/ui/i18n.py" line="69" />
        <source>Village doctor</source>
        <translation>村医</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="70" />
        <source>Township administrator</source>
        <translation>乡镇管理员</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="71" />
        <source>County administrator</source>
        <translation>县管理员</translation>
    </message>
</context>
</TS>