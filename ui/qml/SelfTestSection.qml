// The GPU self-test table for the device settings: one row per device, driver and weight type,
// and "Run again". Self-contained, so the settings dialog only places it.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlo

ColumnLayout {
    id: section
    spacing: 4

    SelfTestController { id: selfTest }

    Label {
        text: qsTr("GPU self-test")
        color: Theme.text
        font.bold: true
    }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        color: Theme.subtext
        text: selfTest.running ? qsTr("Testing every GPU against the CPU…") : selfTest.status
    }
    Repeater {
        model: selfTest.rows
        delegate: Label {
            required property var modelData
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: modelData.outcome === "failed" ? "#c0392b" : Theme.text
            text: qsTr("%1 · %2 · %3: %4").arg(modelData.device).arg(modelData.type).arg(modelData.outcome).arg(modelData.detail)
            Accessible.name: text
            ToolTip.visible: hover.hovered
            ToolTip.text: qsTr("Driver: %1, tested %2").arg(modelData.driver).arg(modelData.when)
            HoverHandler { id: hover }
        }
    }
    Button {
        objectName: "selfTestRunAgain"
        text: qsTr("Run again")
        enabled: !selfTest.running
        Accessible.name: qsTr("Run the GPU self-test again")
        Accessible.onPressAction: clicked()
        onClicked: selfTest.runAgain()
    }
}
