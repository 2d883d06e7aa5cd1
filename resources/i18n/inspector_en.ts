<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US" sourcelanguage="zh_CN">
<context><name>ui</name><message>
        <location filename="../../inspector_app/ui/app.py" line="100" />
        <source>正在打开工作区…</source>
        <translation>Opening the workspace…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/app.py" line="128" />
        <location filename="../../inspector_app/ui/window_workspace.py" line="92" />
        <source>未打开工作区</source>
        <translation>No workspace open</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/main_window.py" line="58" />
        <source>街道检查工作台</source>
        <translation>Street Inspection Workbench</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/main_window.py" line="74" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="219" />
        <source>今日任务</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/main_window.py" line="74" />
        <location filename="../../inspector_app/ui/pages/register.py" line="70" />
        <source>企业名录</source>
        <translation>Register</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/main_window.py" line="74" />
        <location filename="../../inspector_app/ui/pages/findings.py" line="58" />
        <source>隐患整改</source>
        <translation>Hazards</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/main_window.py" line="74" />
        <location filename="../../inspector_app/ui/pages/requests.py" line="59" />
        <location filename="../../inspector_app/ui/sync/page.py" line="57" />
        <location filename="../../inspector_app/ui/sync/page.py" line="102" />
        <source>诉求跟进</source>
        <translation>Requests</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/main_window.py" line="74" />
        <location filename="../../inspector_app/ui/pages/reports.py" line="77" />
        <source>报表打印</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/main_window.py" line="75" />
        <location filename="../../inspector_app/ui/sync/page.py" line="169" />
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/main_window.py" line="279" />
        <source>未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/main_window.py" line="280" />
        <source>企业信息有未保存的修改。放弃这些修改并返回吗？</source>
        <translation>The enterprise's data has unsaved changes. Discard them and go back?</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/main_window.py" line="283" />
        <source>放弃修改并返回</source>
        <translation>Discard and go back</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/main_window.py" line="284" />
        <source>继续编辑</source>
        <translation>Keep editing</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="56" />
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="90" />
        <source>企业 {code} 不在本机企业名录中</source>
        <translation>Enterprise {code} is not in this computer's register</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="66" />
        <source>开始时间</source>
        <translation>Started</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="68" />
        <location filename="../../inspector_app/ui/sync/page.py" line="100" />
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="193" />
        <source>检查表</source>
        <translation>Checklist</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="69" />
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="83" />
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="92" />
        <location filename="../../inspector_app/ui/pages/findings.py" line="46" />
        <location filename="../../inspector_app/ui/pages/requests.py" line="38" />
        <location filename="../../inspector_app/ui/sync/page.py" line="124" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="69" />
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="69" />
        <source>进行中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="70" />
        <source>结论</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="71" />
        <source>检查人员</source>
        <translation>Inspectors</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="79" />
        <location filename="../../inspector_app/ui/pages/findings.py" line="41" />
        <source>隐患</source>
        <translation>Hazard</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="80" />
        <location filename="../../inspector_app/ui/pages/findings.py" line="42" />
        <source>等级</source>
        <translation>Severity</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="81" />
        <location filename="../../inspector_app/ui/pages/findings.py" line="43" />
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="97" />
        <source>整改要求</source>
        <translation>Order</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="82" />
        <location filename="../../inspector_app/ui/pages/findings.py" line="44" />
        <source>期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="89" />
        <location filename="../../inspector_app/ui/pages/requests.py" line="40" />
        <source>提出日期</source>
        <translation>Raised</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="91" />
        <location filename="../../inspector_app/ui/pages/register.py" line="57" />
        <location filename="../../inspector_app/ui/pages/requests.py" line="39" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="81" />
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="93" />
        <location filename="../../inspector_app/ui/pages/requests.py" line="37" />
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="106" />
        <source>企业</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="111" />
        <location filename="../../inspector_app/ui/pages/visit_state.py" line="81" />
        <source>← 返回</source>
        <translation>← Back</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="116" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="472" />
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="182" />
        <source>开始复查</source>
        <translation>Start re-inspection</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="117" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="287" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="474" />
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="182" />
        <source>开始检查</source>
        <translation>Start inspection</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="140" />
        <source>基本信息</source>
        <translation>Master data</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="143" />
        <location filename="../../inspector_app/ui/sync/page.py" line="54" />
        <location filename="../../inspector_app/ui/sync/page.py" line="99" />
        <source>检查记录</source>
        <translation>Visits</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="146" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="83" />
        <source>待整改隐患</source>
        <translation>Open hazards</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="149" />
        <source>诉求/困难</source>
        <translation>Requests</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="172" />
        <source>撤销修改</source>
        <translation>Undo changes</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="173" />
        <source>保存修改</source>
        <translation>Save changes</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="178" />
        <source>修改会作为变更记录保存，同步时交由街道办核对。</source>
        <translation>Edits are kept as changes and checked by the street office when synced.</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="218" />
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="186" />
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="238" />
        <source>统一社会信用代码 {code}　{category}　{grid}　{address}</source>
        <translation>Credit code {code}   {category}   {grid}   {address}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="248" />
        <source>待整改隐患（{n}）</source>
        <translation>Open hazards ({n})</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="249" />
        <source>检查记录（{n}）</source>
        <translation>Visits ({n})</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="250" />
        <source>诉求/困难（{n}）</source>
        <translation>Requests ({n})</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="312" />
        <source>没有修改</source>
        <translation>Nothing changed</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/enterprise.py" line="324" />
        <source>已保存企业信息修改</source>
        <translation>Enterprise data saved</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/findings.py" line="37" />
        <source>逾期 {n} 天</source>
        <translation>{n} days overdue</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/findings.py" line="40" />
        <location filename="../../inspector_app/ui/pages/register.py" line="54" />
        <location filename="../../inspector_app/ui/pages/requests.py" line="36" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="75" />
        <source>企业名称</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/findings.py" line="45" />
        <source>逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/findings.py" line="47" />
        <location filename="../../inspector_app/ui/pages/register.py" line="56" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="80" />
        <source>网格</source>
        <translation>Grid</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/findings.py" line="48" />
        <source>发现日期</source>
        <translation>Found on</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/findings.py" line="70" />
        <location filename="../../inspector_app/ui/pages/register.py" line="87" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="230" />
        <source>全部网格</source>
        <translation>All grids</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/findings.py" line="72" />
        <source>全部等级</source>
        <translation>All severities</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/findings.py" line="75" />
        <source>只看逾期</source>
        <translation>Overdue only</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/findings.py" line="81" />
        <location filename="../../inspector_app/ui/pages/requests.py" line="116" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="285" />
        <source>查看企业</source>
        <translation>Open enterprise</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/findings.py" line="128" />
        <source>待整改 {n} 项，逾期 {o} 项，重大 {m} 项</source>
        <translation>{n} open, {o} overdue, {m} major</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/recheck_panel.py" line="58" />
        <source>{severity}隐患　{order}　期限 {deadline}　发现于 {found}</source>
        <translation>{severity} hazard   {order}   due {deadline}   found {found}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/recheck_panel.py" line="69" />
        <source>复查情况说明</source>
        <translation>Re-inspection note</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/recheck_panel.py" line="103" />
        <source>已整改</source>
        <translation>Rectified</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/recheck_panel.py" line="106" />
        <source>未整改</source>
        <translation>Not rectified</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/recheck_panel.py" line="116" />
        <source>整改照片…</source>
        <translation>Photo of the fix…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/recheck_panel.py" line="119" />
        <source>新期限</source>
        <translation>New deadline</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/recheck_panel.py" line="159" />
        <source>选择整改照片</source>
        <translation>Choose a photo of the fix</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/recheck_panel.py" line="160" />
        <location filename="../../inspector_app/ui/widgets/items.py" line="482" />
        <source>图片 (*.jpg *.jpeg *.png *.heic *.webp)</source>
        <translation>Images (*.jpg *.jpeg *.png *.heic *.webp)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/recheck_panel.py" line="169" />
        <source>未复查</source>
        <translation>Not checked yet</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/recheck_panel.py" line="179" />
        <source>已附照片</source>
        <translation>Photo attached</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/recheck_panel.py" line="180" />
        <source>已记录：{result}</source>
        <translation>Recorded: {result}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/recheck_panel.py" line="197" />
        <source>待复查隐患</source>
        <translation>Hazards to re-inspect</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/recheck_panel.py" line="200" />
        <source>该企业没有待复查的隐患</source>
        <translation>This enterprise has no hazards to re-inspect</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="55" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="85" />
        <source>统一社会信用代码</source>
        <translation>Credit code</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="58" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="82" />
        <source>复工状态</source>
        <translation>Resumption</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="59" />
        <source>员工总数</source>
        <translation>Staff total</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="60" />
        <source>到岗人数</source>
        <translation>Staff on site</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="61" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="86" />
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="76" />
        <source>导入名录…</source>
        <translation>Import register…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="83" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="227" />
        <source>搜索企业名称、信用代码、地址或拼音首字母</source>
        <translation>Search name, credit code, address or pinyin initials</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="89" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="231" />
        <source>全部类别</source>
        <translation>All categories</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="91" />
        <location filename="../../inspector_app/ui/pages/worklist.py" line="232" />
        <source>全部复工状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="162" />
        <source>（仅显示前 {n} 家，请输入更多字词缩小范围）</source>
        <translation> (first {n} shown; type more to narrow)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="163" />
        <source>找到 {n} 家，名录共 {total} 家</source>
        <translation>{n} found of {total}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="173" />
        <source>选择企业名录文件</source>
        <translation>Choose the register file</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="173" />
        <source>表格 (*.xlsx *.csv)</source>
        <translation>Spreadsheets (*.xlsx *.csv)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="177" />
        <source>正在导入 {name}…</source>
        <translation>Importing {name}…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="183" />
        <source>导入完成</source>
        <translation>Imported</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/register.py" line="191" />
        <source>未能导入</source>
        <translation>Not imported</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="88" />
        <source>本次生成的文书（Enter 或双击：打印预览）</source>
        <translation>Documents made (Enter or double-click: print preview)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="96" />
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="98" />
        <source>打开 PDF</source>
        <translation>Open PDF</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="109" />
        <source>检查工作统计（日报 / 周报）</source>
        <translation>Inspection statistics (daily / weekly)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="118" />
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="121" />
        <source>统计期间</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="123" />
        <source>统计范围</source>
        <translation>Scope</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="124" />
        <source>生成统计报表</source>
        <translation>Make the statistics report</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="132" />
        <source>当日全部现场检查记录</source>
        <translation>All inspection records of a day</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="137" />
        <source>检查日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="138" />
        <source>合并打印当日记录</source>
        <translation>Print the day's records together</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="144" />
        <source>发文单位与印章</source>
        <translation>Issuing unit and seal</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="147" />
        <source>例如：宝龙街道综合行政执法队</source>
        <translation>e.g. 宝龙街道综合行政执法队</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="149" />
        <source>文书编号前缀，例如：宝执</source>
        <translation>Document number prefix, e.g. 宝执</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="150" />
        <source>发文单位</source>
        <translation>Issuing unit</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="151" />
        <source>编号前缀</source>
        <translation>Number prefix</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="153" />
        <location filename="../../inspector_app/ui/pages/reports.py" line="213" />
        <source>未设置印章</source>
        <translation>No seal set</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="154" />
        <source>选择印章图片…</source>
        <translation>Choose the seal image…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="159" />
        <source>印章</source>
        <translation>Seal</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="161" />
        <source>授权或委托执法的文件，例如：区政府关于街道综合行政执法的决定</source>
        <translation>The document that authorizes or entrusts the enforcement, e.g. the district's decision on the street office's integrated enforcement</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="163" />
        <source>例如：深圳市龙岗区人民政府</source>
        <translation>e.g. 深圳市龙岗区人民政府 (the district government)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="165" />
        <source>例如：深圳市龙岗区人民法院</source>
        <translation>e.g. 深圳市龙岗区人民法院 (the district court)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="166" />
        <source>执法依据</source>
        <translation>Enforcement authority</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="167" />
        <source>复议机关</source>
        <translation>Administrative review body</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="168" />
        <source>人民法院</source>
        <translation>People's court</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="169" />
        <source>文书代字（每类文书一个，印在文号中：（简称）代字〔年〕号）</source>
        <translation>Document codes (文书代字), one per kind, printed in the number: (short name) code〔year〕No.</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="178" />
        <source>保存设置</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="198" />
        <source>全部企业</source>
        <translation>All enterprises</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="200" />
        <source>检查组：{name}</source>
        <translation>Team: {name}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="202" />
        <source>网格：{name}</source>
        <translation>Grid: {name}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="213" />
        <location filename="../../inspector_app/ui/pages/reports.py" line="317" />
        <source>已设置印章</source>
        <translation>Seal set</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="220" />
        <source>统计期间有误</source>
        <translation>Wrong period</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="220" />
        <source>结束日期不能早于开始日期</source>
        <translation>The end date cannot be before the start date</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="226" />
        <source>日报</source>
        <translation>daily report</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="226" />
        <source>周报</source>
        <translation>weekly report</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="226" />
        <source>统计</source>
        <translation>statistics</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="250" />
        <source>{day} 没有已完成的检查记录</source>
        <translation>No completed inspection records on {day}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="257" />
        <source>正在生成报表…</source>
        <translation>Making the report…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="264" />
        <location filename="../../inspector_app/ui/reports_bridge.py" line="290" />
        <source>已生成 {path}</source>
        <translation>Written: {path}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="270" />
        <source>无法生成报表</source>
        <translation>Cannot make the report</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="304" />
        <source>设置已保存</source>
        <translation>Settings saved</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="304" />
        <source>设置未保存</source>
        <translation>Settings not saved</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="307" />
        <source>选择印章图片</source>
        <translation>Choose the seal image</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="307" />
        <source>图片 (*.png *.jpg *.jpeg)</source>
        <translation>Images (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="317" />
        <source>印章未设置</source>
        <translation>Seal not set</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="323" />
        <location filename="../../inspector_app/ui/reports_bridge.py" line="297" />
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/requests.py" line="64" />
        <location filename="../../inspector_app/ui/sync/page.py" line="187" />
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/requests.py" line="90" />
        <source>选择一条诉求查看跟进情况</source>
        <translation>Choose a request to see its follow-up</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/requests.py" line="105" />
        <source>跟进情况</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/requests.py" line="106" />
        <source>记录跟进</source>
        <translation>Record follow-up</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/requests.py" line="160" />
        <source>跟进记录：
</source>
        <translation>Follow-ups:
</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/requests.py" line="160" />
        <source>尚无跟进记录</source>
        <translation>No follow-up yet</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit.py" line="68" />
        <source>复查</source>
        <translation>Re-inspection</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit.py" line="68" />
        <source>检查</source>
        <translation>Inspection</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit.py" line="70" />
        <source>{form}（{version}）　{kind}　检查人员：{crew}　开始于 {start}</source>
        <translation>{form} ({version})   {kind}   inspectors: {crew}   started {start}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit.py" line="77" />
        <source>复查隐患</source>
        <translation>Hazards to re-inspect</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit.py" line="96" />
        <source>签名 · 诉求 · 完成</source>
        <translation>Sign · Requests · Complete</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit.py" line="152" />
        <source>检查人员 {name}（执法证号 {badge}）</source>
        <translation>Inspector {name} (badge {badge})</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit.py" line="158" />
        <source>企业负责人</source>
        <translation>Enterprise representative</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_completing.py" line="140" />
        <source>限期整改至 {date}</source>
        <translation>fix by {date}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_completing.py" line="151" />
        <source>  …另有 {n} 项，见“隐患”各项</source>
        <translation>  … and {n} more, see the items</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_completing.py" line="155" />
        <source>执法人员：</source>
        <translation>Officers: </translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_completing.py" line="156" />
        <source>{name}（执法证号 {badge}）</source>
        <translation>{name} (badge {badge})</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_completing.py" line="158" />
        <source>未发现隐患。</source>
        <translation>No findings.</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_completing.py" line="235" />
        <source>本次检查已于 {at} 完成并锁定，不能再修改。结论：{outcome}
内容哈希：{hash}</source>
        <translation>Completed and locked at {at}; it can no longer change. Outcome: {outcome}
Content hash: {hash}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_confirm.py" line="32" />
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="271" />
        <source>完成检查并锁定</source>
        <translation>Complete and lock</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_confirm.py" line="37" />
        <source>确认完成并锁定本次检查？</source>
        <translation>Complete and lock this inspection?</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_confirm.py" line="51" />
        <location filename="../../inspector_app/ui/pages/visit_confirm.py" line="74" />
        <source>隐患：</source>
        <translation>Findings:</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_confirm.py" line="58" />
        <source>完成后本次检查将锁定，不能再修改。</source>
        <translation>Once completed, the visit is locked and cannot be changed.</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_confirm.py" line="64" />
        <source>确认完成并锁定</source>
        <translation>Complete and lock</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_confirm.py" line="66" />
        <source>返回修改</source>
        <translation>Go back and edit</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="76" />
        <source>保存为我的签名，以后文书自动使用</source>
        <translation>Save as my signature and use it on later documents</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="82" />
        <location filename="../../inspector_app/ui/widgets/signature.py" line="303" />
        <source>已签名 ✓</source>
        <translation>Signed ✓</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="111" />
        <source>现场负责人</source>
        <translation>Person in charge on site</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="111" />
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="112" />
        <source>职务</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="112" />
        <source>如：生产主管</source>
        <translation>e.g. production supervisor</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="113" />
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="113" />
        <source>居民身份证或其他证件号码</source>
        <translation>Resident ID card or other ID number</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="114" />
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="115" />
        <source>见证人</source>
        <translation>Witness</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="115" />
        <source>姓名（当事人拒绝签名或拒收文书时填写）</source>
        <translation>Name (fill in when the party refuses to sign or to receive a document)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="116" />
        <source>见证人工作单位</source>
        <translation>Witness's work unit</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="116" />
        <source>如：社区工作站</source>
        <translation>e.g. community work station</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="123" />
        <source>保存现场人员</source>
        <translation>Save the people on site</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="169" />
        <source>已保存，完成检查时写入记录</source>
        <translation>Saved; written into the record when the visit is completed</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="198" />
        <source>签名</source>
        <translation>Signatures</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="206" />
        <source>现场负责人与见证人</source>
        <translation>Person in charge on site and witness</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="219" />
        <source>企业诉求/困难</source>
        <translation>Enterprise requests</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="231" />
        <source>企业提出的诉求或困难</source>
        <translation>What the enterprise asks for or struggles with</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="232" />
        <source>记录诉求</source>
        <translation>Record request</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="237" />
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="306" />
        <source>本次未记录诉求</source>
        <translation>No request recorded in this visit</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="246" />
        <source>完成检查</source>
        <translation>Complete</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="256" />
        <source>尚缺以下内容（点击跳转）：</source>
        <translation>Still missing (click to go there):</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="267" />
        <source>打印检查记录</source>
        <translation>Print record</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_finish.py" line="268" />
        <source>打印整改通知书</source>
        <translation>Print rectification notice</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_photos.py" line="127" />
        <source>查看照片</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_photos.py" line="136" />
        <source>无法显示这张照片</source>
        <translation>This photo cannot be shown</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_photos.py" line="140" />
        <source>向右旋转 90°（R）</source>
        <translation>Rotate right 90° (R)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_photos.py" line="144" />
        <location filename="../../inspector_app/ui/shortcuts.py" line="176" />
        <location filename="../../inspector_app/ui/window_workspace.py" line="103" />
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_rows.py" line="44" />
        <source>一票否决</source>
        <translation>Veto</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_sections.py" line="173" />
        <source>必答 {a} / {t}　隐患 {f}</source>
        <translation>Required {a} / {t}   hazards {f}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_sections.py" line="198" />
        <source>已按企业名录预填（{value}），可修改</source>
        <translation>Prefilled from the register ({value}); you may change it</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_state.py" line="80" />
        <source>现场检查</source>
        <translation>Inspection</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_state.py" line="245" />
        <source>当前结论：{outcome}　（复查隐患 {t} 项：已整改 {a} 项，未整改 {b} 项，未标记 {c} 项）</source>
        <translation>Outcome so far: {outcome}   ({t} findings re-inspected: {a} rectified, {b} not rectified, {c} not marked)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/visit_state.py" line="247" />
        <source>当前结论：{outcome}　（隐患 {n} 项，其中重大 {m} 项）</source>
        <translation>Outcome so far: {outcome}   ({n} hazards, {m} major)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/worklist.py" line="76" />
        <source>事由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/worklist.py" line="77" />
        <source>应检日期</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/worklist.py" line="78" />
        <source>逾期天数</source>
        <translation>Days overdue</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/worklist.py" line="100" />
        <source>进行中（{time} 开始）</source>
        <translation>In progress {time}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/worklist.py" line="286" />
        <source>查看企业（Ctrl+Enter）</source>
        <translation>View enterprise (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/worklist.py" line="289" />
        <source>开始检查（隐患复查行：开始复查；进行中：继续）（Enter）</source>
        <translation>Start an inspection (a hazard re-inspection row: start the re-inspection; in progress: resume) (Enter)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/worklist.py" line="347" />
        <source>{day}　应检 {n} 家，其中逾期 {m} 家</source>
        <translation>{day}   {n} due, {m} overdue</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/worklist.py" line="350" />
        <source>；进行中 {n} 项</source>
        <translation>; {n} in progress</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/worklist.py" line="417" />
        <source>显示 {shown} / {total} 家</source>
        <translation>Showing {shown} of {total}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/worklist.py" line="470" />
        <source>继续检查</source>
        <translation>Resume visit</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/reports_bridge.py" line="157" />
        <source>正在准备打印预览…</source>
        <translation>Preparing the print preview…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/reports_bridge.py" line="157" />
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="67" />
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="126" />
        <location filename="../../inspector_app/ui/widgets/camera.py" line="62" />
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="236" />
        <location filename="../../inspector_app/ui/window_chrome.py" line="59" />
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/reports_bridge.py" line="159" />
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/reports_bridge.py" line="204" />
        <source>打印预览 — {name}</source>
        <translation>Print preview — {name}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/reports_bridge.py" line="228" />
        <source>正在准备打印预览… 第 {n} / {m} 页</source>
        <translation>Preparing the print preview… page {n} of {m}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/reports_bridge.py" line="270" />
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/reports_bridge.py" line="287" />
        <source>正在生成 {title}…</source>
        <translation>Making the {title}…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/reports_bridge.py" line="295" />
        <source>无法生成文书</source>
        <translation>Cannot make the document</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="168" />
        <location filename="../../inspector_app/ui/window_chrome.py" line="142" />
        <source>快捷键</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/start_dialog.py" line="42" />
        <source>欢迎使用街道检查工作台</source>
        <translation>Welcome to the Street Inspection Workbench</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/start_dialog.py" line="48" />
        <source>还没有工作区</source>
        <translation>No workspace yet</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/start_dialog.py" line="51" />
        <source>工作区保存企业名录、检查记录和照片，全部在本机，离线可用。请选择：</source>
        <translation>A workspace holds the register, the inspection records and the photos, all on this computer and usable offline. Choose:</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/start_dialog.py" line="54" />
        <source>工作区文件夹：{path}</source>
        <translation>Workspace folder: {path}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/start_dialog.py" line="58" />
        <source>在此生成演示工作区（含示例企业和检查记录）</source>
        <translation>Make the demo workspace here (sample enterprises and records)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/start_dialog.py" line="61" />
        <source>在此新建空工作区</source>
        <translation>Make an empty workspace here</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/start_dialog.py" line="62" />
        <source>打开已有工作区…</source>
        <translation>Open an existing workspace…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/start_dialog.py" line="67" />
        <source>（本版本不含演示数据）</source>
        <translation>(this build has no demo data)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/start_dialog.py" line="81" />
        <location filename="../../inspector_app/ui/window_workspace.py" line="113" />
        <source>选择工作区文件夹</source>
        <translation>Choose the workspace folder</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="38" />
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="43" />
        <source>登录办公室服务器</source>
        <translation>Log in to the office server</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="46" />
        <source>每位检查员在本机登录一次即可，登录凭证保存在系统密钥环（或工作区）中。</source>
        <translation>Each inspector logs in once on this computer; the login is kept in the system keyring (or the workspace). </translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="47" />
        <source>多名检查员共用本机时，各自的未同步记录互不影响。</source>
        <translation>Inspectors sharing this computer never touch each other's unsynced work.</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="53" />
        <source>切换</source>
        <translation>Switch</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="64" />
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="88" />
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="200" />
        <source>本机检查员</source>
        <translation>Inspectors here</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="97" />
        <source>或登录其他账号：</source>
        <translation>Or log in as someone else:</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="108" />
        <source>例如 http://192.168.1.10:8765</source>
        <translation>e.g. http://192.168.1.10:8765</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="110" />
        <source>办公室分配的用户名</source>
        <translation>User name from the office</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="113" />
        <source>服务器地址</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="114" />
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="115" />
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="145" />
        <source>请填写服务器地址、用户名和密码</source>
        <translation>Please fill in the server, the user name and the password</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="149" />
        <source>正在登录…</source>
        <translation>Logging in…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/login_dialog.py" line="161" />
        <source>登录失败：{reason}</source>
        <translation>Login failed: {reason}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="44" />
        <source>等待发送</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="45" />
        <source>发送中（未确认）</source>
        <translation>Sending (not confirmed)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="46" />
        <source>已送达</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="47" />
        <source>已隔离</source>
        <translation>Quarantined</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="48" />
        <source>冲突</source>
        <translation>Conflict</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="55" />
        <source>企业信息修改</source>
        <translation>Enterprise edit</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="56" />
        <location filename="../../inspector_app/ui/sync/page.py" line="101" />
        <source>隐患跟进</source>
        <translation>Hazard follow-up</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="88" />
        <source>尚未从办公室领取{year}年的文书编号：此时完成的检查将使用本机临时编号（带“临”字），请先连接办公室同步。</source>
        <translation>No document numbers for {year} from the office yet: visits completed now get provisional laptop numbers (marked 临). Connect to the office and sync first.</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="91" />
        <source>{title}的编号已用完：此时完成的检查将使用本机临时编号，请同步领取。</source>
        <translation>The numbers for the {title} are used up: visits completed now get provisional laptop numbers. Sync to get more.</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="93" />
        <source>{title}的编号仅剩{n}个，请尽快同步领取。</source>
        <translation>Only {n} numbers left for the {title}: sync soon to get more.</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="108" />
        <location filename="../../inspector_app/ui/sync/page.py" line="126" />
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="109" />
        <location filename="../../inspector_app/ui/sync/page.py" line="127" />
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="110" />
        <location filename="../../inspector_app/ui/sync/page.py" line="128" />
        <source>检查员账号</source>
        <translation>Inspector account</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="110" />
        <location filename="../../inspector_app/ui/sync/page.py" line="128" />
        <location filename="../../inspector_app/ui/sync/page.py" line="289" />
        <source>（未登录时记录）</source>
        <translation>(recorded before login)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="111" />
        <location filename="../../inspector_app/ui/sync/page.py" line="129" />
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="112" />
        <source>接收时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="119" />
        <source>{n} 个：{first}…</source>
        <translation>{n}: {first}…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="130" />
        <source>缺少的文件</source>
        <translation>Missing files</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="131" />
        <source>发送次数</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="132" />
        <source>记录时间</source>
        <translation>Recorded</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="175" />
        <location filename="../../inspector_app/ui/sync/page.py" line="343" />
        <source>未登录办公室服务器</source>
        <translation>Not logged in to the office server</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="192" />
        <location filename="../../inspector_app/ui/sync/page.py" line="287" />
        <source>全部检查员</source>
        <translation>All inspectors</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="197" />
        <source>重新发送</source>
        <translation>Send again</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="198" />
        <source>把选中的已隔离记录放回发送队列（先在办公室或本机解决隔离原因）</source>
        <translation>Put the selected quarantined record back in the queue (fix the reason first, at the office or here)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="199" />
        <source>登录/切换检查员…</source>
        <translation>Log in / switch inspector…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="200" />
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="129" />
        <location filename="../../inspector_app/ui/window_chrome.py" line="107" />
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="209" />
        <source>已隔离：服务器不接受该记录，原因见右侧，其余记录照常发送。</source>
        <translation>Quarantined: the server refused the record (the reason is shown); everything else is still sent. </translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="210" />
        <source>冲突：与办公室的数据不一致，待办公室处理，本机保留您的版本。</source>
        <translation>Conflict: it disagrees with the office's data; the office decides, this computer keeps your version.</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="235" />
        <source>接收时已搁置：办公室发来的这些记录本机无法接收，已单独保存，其余记录照常接收。请告知办公室按原因处理。</source>
        <translation>Set aside when received: this laptop could not take these records from the office. They are kept apart and everything else was received as usual. Tell the office the reason shown.</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="303" />
        <source>接收时搁置的记录（{n} 条）</source>
        <translation>Records set aside when received ({n})</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="345" />
        <source>无检查组</source>
        <translation>no team</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/page.py" line="346" />
        <source>检查员：{name}　{team}　服务器：{url}</source>
        <translation>Inspector: {name}   {team}   server: {url}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="60" />
        <source>接收变更 {n} 条</source>
        <translation>Received {n} changes</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="62" />
        <source>上传文件 {done}/{total}</source>
        <translation>Uploading files {done}/{total}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="64" />
        <source>同步中 {done}/{total}</source>
        <translation>Syncing {done}/{total}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="65" />
        <source>同步中…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="67" />
        <source>离线</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="68" />
        <source>服务器无法连接</source>
        <translation>Server unreachable</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="69" />
        <source>未登录</source>
        <translation>Not logged in</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="70" />
        <source>登录已失效</source>
        <translation>Login expired</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="71" />
        <source>同步出错</source>
        <translation>Sync failed</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="72" />
        <source>同步已取消</source>
        <translation>Sync cancelled</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="77" />
        <source>上次同步 {time}</source>
        <translation>Last sync {time}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="78" />
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="119" />
        <source>尚未同步</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="86" />
        <source>待同步 {n} 条</source>
        <translation>{n} waiting to sync</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="88" />
        <source>{n} 条未被接收</source>
        <translation>{n} not accepted</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="92" />
        <source>已全部同步</source>
        <translation>All synced</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="99" />
        <source>检查员：{name}　服务器：{url}</source>
        <translation>Inspector: {name}   server: {url}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="104" />
        <source>将于 {time} 自动重试</source>
        <translation>Retrying by itself at {time}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="106" />
        <source>上次成功同步：{time}</source>
        <translation>Last successful sync: {time}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="123" />
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="161" />
        <source>登录…</source>
        <translation>Log in…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="125" />
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="166" />
        <source>登录办公室服务器或切换检查员</source>
        <translation>Log in to the office server or switch inspector</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="131" />
        <source>立即与办公室服务器同步（Ctrl+Shift+S）</source>
        <translation>Sync with the office server now (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="161" />
        <source>{name}（未登录）</source>
        <translation>{name} (not signed in)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/sync/status_widget.py" line="163" />
        <source>重新登录…</source>
        <translation>Log in again…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/camera.py" line="42" />
        <source>照片无法保存为 JPEG</source>
        <translation>The photo cannot be saved as JPEG</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/camera.py" line="54" />
        <source>拍照</source>
        <translation>Take photo</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/camera.py" line="57" />
        <source>正在打开摄像头…</source>
        <translation>Opening the camera…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/camera.py" line="58" />
        <source>拍照（空格）</source>
        <translation>Take photo (Space)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/camera.py" line="95" />
        <source>对准隐患部位后拍照</source>
        <translation>Aim at the hazard, then take the photo</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="91" />
        <source>隐患等级</source>
        <translation>Severity</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="101" />
        <source>立即整改</source>
        <translation>Fix now</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="102" />
        <source>限期整改</source>
        <translation>Fix by deadline</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="103" />
        <source>当场整改完毕</source>
        <translation>Corrected on the spot</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="104" />
        <source>检查人员在场时已改正：须附整改后照片，不再出具整改文书</source>
        <translation>Corrected while the inspectors were there: needs a photo of the corrected state; no order is served</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="152" />
        <source>隐患描述</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="158" />
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="196" />
        <source>添加隐患照片…</source>
        <translation>Add hazard photos…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="164" />
        <location filename="../../inspector_app/ui/widgets/items.py" line="511" />
        <source>拍照…</source>
        <translation>Take photo…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="185" />
        <source>隐患：{title}</source>
        <translation>Hazard: {title}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="196" />
        <source>添加整改后照片…</source>
        <translation>Add photo after correction…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="198" />
        <source>当场整改完毕须附整改后照片</source>
        <translation>Corrected on the spot: a photo after correction is needed</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="200" />
        <location filename="../../inspector_app/ui/widgets/items.py" line="543" />
        <source>已有 {n} 张照片</source>
        <translation>{n} photos</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="200" />
        <location filename="../../inspector_app/ui/widgets/items.py" line="507" />
        <location filename="../../inspector_app/ui/widgets/items.py" line="543" />
        <source>暂无照片</source>
        <translation>No photos</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/finding_editor.py" line="203" />
        <source>依据：{basis}</source>
        <translation>Basis: {basis}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/items.py" line="184" />
        <source>符合</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/items.py" line="184" />
        <source>不符合</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/items.py" line="184" />
        <source>不适用</source>
        <translation>N/A</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/items.py" line="195" />
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/items.py" line="196" />
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/items.py" line="211" />
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="316" />
        <source>（未选择）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/items.py" line="334" />
        <source>无上述问题  0</source>
        <translation>None of these  0</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/items.py" line="473" />
        <source>年-月-日，如 2026-03-01</source>
        <translation>year-month-day, e.g. 2026-03-01</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/items.py" line="482" />
        <source>选择照片</source>
        <translation>Choose photos</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/items.py" line="504" />
        <source>添加照片…</source>
        <translation>Add photos…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/items.py" line="577" />
        <source>图{n}</source>
        <translation>Photo {n}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/items.py" line="578" />
        <source>第 {n} 张：点击查看（V），Delete 删除</source>
        <translation>Photo {n}: click to view (V), Delete removes it</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/items.py" line="583" />
        <source>删除这张照片</source>
        <translation>Remove this photo</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/signature.py" line="220" />
        <source>签名人</source>
        <translation>Signer</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/signature.py" line="225" />
        <location filename="../../inspector_app/ui/widgets/signature.py" line="316" />
        <source>未签名</source>
        <translation>Not signed</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/signature.py" line="230" />
        <source>请在此处签名</source>
        <translation>Sign here</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/signature.py" line="238" />
        <source>拒绝签字</source>
        <translation>Refuses to sign</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/signature.py" line="240" />
        <source>拒签理由（必填）</source>
        <translation>Reason for refusing (required)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/signature.py" line="246" />
        <source>清除</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/signature.py" line="247" />
        <location filename="../../inspector_app/ui/widgets/signature.py" line="267" />
        <location filename="../../inspector_app/ui/widgets/signature.py" line="309" />
        <source>保存签名</source>
        <translation>Save signature</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/signature.py" line="267" />
        <source>记录拒签</source>
        <translation>Record refusal</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/signature.py" line="281" />
        <source>请填写签名人姓名</source>
        <translation>Enter the signer's name</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/signature.py" line="287" />
        <source>请填写拒签理由</source>
        <translation>Enter why the signature was refused</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/signature.py" line="293" />
        <source>请先在签名框内签名（或勾选拒绝签字并写明理由）</source>
        <translation>Sign in the box first (or tick Refused to sign and give the reason)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/signature.py" line="312" />
        <source>已记录拒签</source>
        <translation>Refusal recorded</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="206" />
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="390" />
        <source>到场检查人员（至少一人）</source>
        <translation>Inspectors present (at least one)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="233" />
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="246" />
        <source>继续这次检查</source>
        <translation>Resume this visit</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="261" />
        <source>复查：该企业有 {n} 项待复查隐患</source>
        <translation>Re-inspection: {n} hazards to check</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="272" />
        <source>没有适用于“{category}”的检查表</source>
        <translation>No checklist applies to “{category}”</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="283" />
        <source>该企业有一次进行中的检查：{title}，{time} 开始。</source>
        <translation>A visit of this enterprise is in progress: {title}, started {time}.</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="286" />
        <source>仍新开一次检查</source>
        <translation>Start another visit anyway</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="323" />
        <source>已登录的检查员</source>
        <translation>The signed-in inspector</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="334" />
        <source>{name}　执法证号 {badge}</source>
        <translation>{name}　badge {badge}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="388" />
        <source>到场执法人员（本检查表须 {n} 名持执法证的执法人员）</source>
        <translation>Officers present (this checklist needs {n} law-enforcement officers with badges)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="402" />
        <source>请至少选择一名检查人员</source>
        <translation>Choose at least one inspector</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/widgets/start_visit.py" line="407" />
        <source>本检查表须 {n} 名执法人员到场检查，已选 {m} 名：请再勾选 {k} 名（含执法证号）</source>
        <translation>This checklist needs {n} law-enforcement officers on site; {m} chosen: tick {k} more (with badges)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="53" />
        <location filename="../../inspector_app/ui/window_chrome.py" line="72" />
        <location filename="../../inspector_app/ui/window_chrome.py" line="91" />
        <source>网络状态未知</source>
        <translation>Network status unknown</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="87" />
        <source>网络已连接</source>
        <translation>Network connected</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="89" />
        <source>网络未连接</source>
        <translation>Network disconnected</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="95" />
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="96" />
        <source>打开工作区…</source>
        <translation>Open workspace…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="98" />
        <source>新建空工作区…</source>
        <translation>New empty workspace…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="100" />
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="105" />
        <source>登录办公室服务器…</source>
        <translation>Log in to the office server…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="114" />
        <source>语言(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="123" />
        <source>转到(&amp;G)</source>
        <translation>&amp;Go</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="124" />
        <source>搜索企业</source>
        <translation>Search enterprises</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="126" />
        <location filename="../../inspector_app/ui/window_chrome.py" line="128" />
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="141" />
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="145" />
        <location filename="../../inspector_app/ui/window_chrome.py" line="189" />
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="190" />
        <source>街道检查工作台：防疫复工、安全生产、消防、三小场所现场检查。离线可用。</source>
        <translation>Street Inspection Workbench: on-site checks for epidemic resumption, work safety, fire safety and small venues. Works offline.</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_chrome.py" line="212" />
        <source>操作未完成</source>
        <translation>Not done</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_workspace.py" line="30" />
        <source>正在打开 {path} …</source>
        <translation>Opening {path} …</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_workspace.py" line="56" />
        <source>工作区：{path}　企业 {n} 家</source>
        <translation>Workspace: {path}   {n} enterprises</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_workspace.py" line="60" />
        <source>检查表有误</source>
        <translation>Checklists with errors</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_workspace.py" line="60" />
        <source>以下检查表未能载入，其余可正常使用：
</source>
        <translation>These checklists could not be loaded; the others work:
</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_workspace.py" line="84" />
        <location filename="../../inspector_app/ui/window_workspace.py" line="85" />
        <source>正在建立拼音检索：还剩 {n} 家</source>
        <translation>Indexing pinyin for search: {n} enterprises to go</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_workspace.py" line="86" />
        <source>拼音检索已建好</source>
        <translation>Pinyin search index ready</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_workspace.py" line="99" />
        <source>无法打开工作区</source>
        <translation>Cannot open the workspace</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_workspace.py" line="100" />
        <source>无法打开工作区 {path}</source>
        <translation>Cannot open the workspace {path}</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_workspace.py" line="102" />
        <source>选择其他工作区…</source>
        <translation>Choose another workspace…</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_workspace.py" line="120" />
        <source>选择新工作区的文件夹（应为空文件夹）</source>
        <translation>Choose a folder for the new workspace (an empty one)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_workspace.py" line="125" />
        <source>已有工作区</source>
        <translation>Workspace exists</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/window_workspace.py" line="125" />
        <source>该文件夹已有工作区，将直接打开。</source>
        <translation>That folder holds a workspace; it will be opened.</translation>
    </message>
<message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="30" />
        <source>全局</source>
        <translation>Everywhere</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="32" />
        <source>企业页</source>
        <translation>Enterprise page</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="59" />
        <source>搜索企业（今日任务或企业名录的搜索框）</source>
        <translation>Search enterprises (the search box of Today or the Register)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="61" />
        <source>转到 今日任务、企业名录、隐患整改、诉求跟进、报表打印、同步</source>
        <translation>Go to Today, Register, Hazards, Requests, Reports, Sync</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="63" />
        <location filename="../../inspector_app/ui/shortcuts.py" line="64" />
        <source>返回（企业页、检查页）</source>
        <translation>Back (enterprise and visit pages)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="66" />
        <source>打开工作区</source>
        <translation>Open a workspace</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="67" />
        <source>快捷键（本页）</source>
        <translation>Keyboard shortcuts (this page)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="69" />
        <source>在输入框、列表和按钮之间移动</source>
        <translation>Move between fields, lists and buttons</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="71" />
        <source>打开菜单：文件、语言、转到、帮助</source>
        <translation>Open a menu: File, Language, Go, Help</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="73" />
        <source>从搜索框进入结果列表</source>
        <translation>From the search box into the results</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="75" />
        <source>开始检查；隐患复查行开始复查；进行中的检查则继续（搜索框中：第一条结果）</source>
        <translation>Start an inspection; on a hazard re-inspection row start the re-inspection; resume a visit in progress (in the search box: the first result)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="78" />
        <source>在列表中选择企业</source>
        <translation>Choose an enterprise in the list</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="80" />
        <source>开始复查（有待复查隐患时）</source>
        <translation>Start a re-inspection (when findings wait for one)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="81" />
        <source>开始（有进行中的检查时：继续该检查）</source>
        <translation>Start (where a visit is in progress: resume it)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="82" />
        <source>选中或取消检查表、检查人员</source>
        <translation>Tick or untick a checklist or an inspector</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="85" />
        <source>当前检查项：符合 / 不符合 / 不适用</source>
        <translation>Current item: compliant / non-compliant / not applicable</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="88" />
        <source>单选、多选项：按选项前的键选中或取消；0：以上都没有</source>
        <translation>Choice and tick items: the key before an option ticks or unticks it; 0: none of these</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="91" />
        <source>下一项（一节的最后一项之后：下一节，最后是签名和完成）</source>
        <translation>Next item (after a section's last: the next section, at the end signatures and completing)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="103" />
        <source>尚缺内容列表中：转到该项</source>
        <translation>In the list of what is missing: go to the item</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="104" />
        <source>向右旋转 90°</source>
        <translation>Rotate right 90°</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="106" />
        <source>拍照窗口：拍照</source>
        <translation>Camera window: take the photo</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="108" />
        <source>下一项</source>
        <translation>Next item</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="93" />
        <source>上一项</source>
        <translation>Previous item</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="95" />
        <source>隐患描述中：隐患填完，回到检查表（Shift+Enter 换行）</source>
        <translation>In a hazard description: the hazard is done, back to the checklist (Shift+Enter: new line)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="97" />
        <source>隐患中：离开隐患，回到检查表</source>
        <translation>In a hazard: leave it, back to the checklist</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="98" />
        <source>照片项：添加照片</source>
        <translation>Photo item: add a photo</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="100" />
        <source>照片项：选择照片、删除、查看</source>
        <translation>Photo item: choose a photo, remove it, view it</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="102" />
        <source>签名板上：保存签名</source>
        <translation>On a signature pad: save the signature</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="107" />
        <source>当前隐患：已整改 / 未整改</source>
        <translation>Current hazard: rectified / not rectified</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/shortcuts.py" line="109" />
        <source>打印（选择打印机）</source>
        <translation>Print (choose the printer)</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="95" />
        <source>一般</source>
        <translation>General</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="96" />
        <source>重大</source>
        <translation>Major</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="97" />
        <source>待整改</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="98" />
        <source>已报整改</source>
        <translation>Reported fixed</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="99" />
        <source>已销号</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="100" />
        <source>待跟进</source>
        <translation>Pending</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="101" />
        <source>跟进中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="102" />
        <source>已解决</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="103" />
        <source>未复工</source>
        <translation>Not resumed</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="104" />
        <source>已备案</source>
        <translation>Filed</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="105" />
        <source>核查中</source>
        <translation>Under review</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="106" />
        <source>核查通过</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="107" />
        <source>需整改</source>
        <translation>Needs rectification</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="108" />
        <source>已复工</source>
        <translation>Resumed</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="109" />
        <source>停业</source>
        <translation>Closed down</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="110" />
        <source>用工招聘</source>
        <translation>Hiring</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="111" />
        <source>资金融资</source>
        <translation>Finance</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="112" />
        <source>原材料供应</source>
        <translation>Raw materials</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="113" />
        <source>物流运输</source>
        <translation>Logistics</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="114" />
        <source>防疫物资</source>
        <translation>Protective supplies</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="115" />
        <source>政策咨询</source>
        <translation>Policy questions</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="116" />
        <source>租金减免</source>
        <translation>Rent relief</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="117" />
        <source>审批办证</source>
        <translation>Permits</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="118" />
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="123" />
        <location filename="../../inspector_app/ui/pages/reports.py" line="55" />
        <source>现场检查记录</source>
        <translation>inspection record</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="124" />
        <source>整改通知书</source>
        <translation>rectification notice</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="125" />
        <location filename="../../inspector_app/ui/pages/reports.py" line="61" />
        <source>整改复查意见书</source>
        <translation>re-inspection opinion</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="127" />
        <source>例行检查</source>
        <translation>Routine inspection</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="128" />
        <source>隐患复查</source>
        <translation>Hazard re-inspection</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="129" />
        <source>行业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="130" />
        <source>规模</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="131" />
        <source>法定代表人</source>
        <translation>Legal representative</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="132" />
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="136" />
        <source>通过</source>
        <translation>Passed</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="137" />
        <source>准予复工</source>
        <translation>Resumption approved</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="138" />
        <source>不予复工</source>
        <translation>Resumption refused</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="140" />
        <source>责令停产整顿</source>
        <translation>Ordered to suspend and rectify</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="141" />
        <source>复查完成</source>
        <translation>Re-inspection done</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="142" />
        <source>复查完成，发现新隐患</source>
        <translation>Re-inspection done, new hazards found</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="144" />
        <source>规上工业企业</source>
        <translation>Large industry</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="145" />
        <source>规下企业</source>
        <translation>Small firm</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="146" />
        <source>建筑工地</source>
        <translation>Building site</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="147" />
        <source>小档口</source>
        <translation>Small shop</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="148" />
        <source>小作坊</source>
        <translation>Workshop</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="149" />
        <source>小娱乐场所</source>
        <translation>Small venue</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="150" />
        <source>个体工商户</source>
        <translation>Sole trader</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="151" />
        <source>出租屋</source>
        <translation>Rental</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="152" />
        <source>商场市场</source>
        <translation>Mall/market</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="153" />
        <source>学校</source>
        <translation>School</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="154" />
        <source>酒店</source>
        <translation>Hotel</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="156" />
        <source>人</source>
        <translation>people</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="157" />
        <source>支</source>
        <translation>pcs</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="158" />
        <source>只</source>
        <translation>pcs</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="159" />
        <source>具</source>
        <translation>units</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="160" />
        <source>间</source>
        <translation>rooms</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="161" />
        <source>户</source>
        <translation>households</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="162" />
        <source>层</source>
        <translation>floors</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="163" />
        <source>吨</source>
        <translation>t</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="164" />
        <source>㎡</source>
        <translation>m²</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/i18n.py" line="165" />
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="56" />
        <source>责令限期整改指令书</source>
        <translation>order to rectify within a time limit</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="57" />
        <source>现场处理措施决定书</source>
        <translation>decision on on-site measures</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="58" />
        <source>责令立即改正通知书</source>
        <translation>notice to correct at once</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="59" />
        <source>责令限期改正通知书</source>
        <translation>notice to correct within a time limit</translation>
    </message>
    <message>
        <location filename="../../inspector_app/ui/pages/reports.py" line="60" />
        <source>疫情防控整改通知书</source>
        <translation>epidemic-prevention rectification notice</translation>
    </message>
</context></TS>