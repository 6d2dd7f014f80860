<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own strings that Qt's shipped qtbase_zh_CN.qm misses: Qt 6 added mnemonics to these
     QFileDialog labels, and the catalogue still has only the old "Look in:" / "Files of type:".
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
</TS>
