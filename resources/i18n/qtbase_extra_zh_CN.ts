<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own strings that Qt's shipped qtbase_zh_CN.qm misses: Qt 6 added mnemonics to two
     QFileDialog labels, and the catalogue still has only the old "Look in:" / "Files of type:";
     Qt 6 moved the file-type words to QAbstractFileIconProvider (with a disambiguation), and the
     catalogue still has them under QFileDialog.
     Loaded after Qt's catalogue, so Qt's translations stay for everything else.
     Compile: pyside6-lrelease qtbase_extra_zh_CN.ts -qm qtbase_extra_zh_CN.qm -->
<TS version="2.1" language="zh_CN">
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Drive</source>
        <translation>驱动器</translation>
    </message>
    <message>
        <source>File Folder</source>
        <comment>Match Windows Explorer</comment>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Folder</source>
        <comment>All other platforms</comment>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <comment>All other platforms</comment>
        <translation>快捷方式</translation>
    </message>
    <message>
        <source>Alias</source>
        <comment>macOS Finder</comment>
        <translation>替身</translation>
    </message>
</context>
</TS>
