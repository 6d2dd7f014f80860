<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>HouseholdsPage</name>
    <message>
        <source> %1 changes made here were not taken by the county; see Sync.</source>
        <translation>本机对此户的 %1 条修改县里不再接收，见“数据同步”。</translation>
    </message>
    <message>
        <source>This household has moved to %1; this PC no longer looks after it.</source>
        <translation>此户已迁往%1，本机不再负责。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>County server unreachable, next try %1</source>
        <translation>服务器无法连接，%1 再试</translation>
    </message>
    <message>
        <source>Last sync did not finish (see Sync)</source>
        <translation>上次同步未完成（见“数据同步”）</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>上次同步：%1</translation>
    </message>
    <message>
        <source>Syncing with the county…</source>
        <translation>正在与县里同步…</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>The restored data starts as a new installation: enrol it with the county again with a new code before it can sync.</source>
        <translation>恢复后的数据算作一台新装的电脑：须用县里给的新注册码重新注册后才能同步。</translation>
    </message>
    <message>
        <source>This PC is enrolled with the county and %1 changes have not reached the county yet. After the restore they are only in the safety backup and will not be sent to the county: sync first if you can.</source>
        <translation>本机已在县里注册，当前有 %1 条修改尚未同步到县里。恢复后它们只留在恢复前自动保存的备份里，不会再送到县里：能同步的话请先同步。</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source> %1 changes made here were not taken by the county; they stay on this PC. Tell the doctor of %2 (or the county) what they were, so they can enter them.</source>
        <translation>本机对此户的 %1 条修改县里不再接收，仍保存在本机：请把这些修改告诉%2的村医（或县里），由他们录入。</translation>
    </message>
    <message>
        <source>%1: this household has moved to %2; this PC no longer looks after it.</source>
        <translation>%1：此户已迁往%2，本机不再负责。</translation>
    </message>
    <message>
        <source>; trying again at %1</source>
        <translation>，%1 再试</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>County server cannot be reached</source>
        <translation>服务器无法连接</translation>
    </message>
    <message>
        <source>Syncing: %1 sent, %2 received so far</source>
        <translation>正在同步：已送出 %1 条，已收到 %2 条</translation>
    </message>
    <message>
        <source>Syncs by itself; next at %1</source>
        <translation>自动同步；下次 %1</translation>
    </message>
    <message>
        <source>Syncs when you press Sync now</source>
        <translation>按“立即同步”时同步</translation>
    </message>
    <message>
        <source>household of %1</source>
        <translation>户主%1</translation>
    </message>
</context>
</TS>
