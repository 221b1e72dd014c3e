import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlo

// Which device runs the model and why (never silently on the CPU), and how full the context is.
Rectangle {
    id: root
    required property ChatController chat
    required property ModelController models

    implicitHeight: 28
    color: Theme.sidebar

    readonly property int contextSize: root.models.contextLength
    readonly property real fill: contextSize > 0 ? Math.min(1, root.chat.contextUsed / contextSize) : 0

    Rectangle { width: parent.width; height: 1; color: Theme.border }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        spacing: 12

        Label {
            objectName: "deviceLabel"
            Layout.fillWidth: true
            elide: Text.ElideRight
            font.pixelSize: 12
            color: Theme.subtext
            textFormat: Text.PlainText // device and driver names come from the driver
            text: qsTr("Device: %1 — %2").arg(root.models.deviceName).arg(root.models.deviceReason)
                  + (root.models.engineName.length > 0 ? " · " + root.models.engineName : "")
            Accessible.name: text
            ToolTip.visible: deviceHover.hovered
            ToolTip.text: text
            HoverHandler { id: deviceHover }
        }

        Label {
            objectName: "promptNoticeLabel"
            visible: root.models.promptNotice.length > 0
            Layout.maximumWidth: 360
            elide: Text.ElideRight
            text: root.models.promptNotice
            color: Theme.warning
            font.pixelSize: 12
            Accessible.name: text
        }

        Label {
            visible: root.chat.contextFull
            text: qsTr("Context full: the answer was cut. Start a new chat or raise the context length.")
            color: Theme.warning
            font.pixelSize: 12
            Accessible.name: text
        }

        Label {
            visible: root.contextSize > 0
            text: qsTr("Context %1 / %2").arg(root.chat.contextUsed).arg(root.contextSize)
            font.pixelSize: 12
            color: Theme.subtext
        }
        // A thin meter in the theme's colours; amber once the context is nearly full.
        Rectangle {
            objectName: "contextMeter"
            visible: root.contextSize > 0
            Layout.preferredWidth: 120
            Layout.preferredHeight: 6
            radius: 3
            color: Theme.border
            Accessible.role: Accessible.ProgressBar
            Accessible.name: qsTr("Context used: %1 of %2 tokens").arg(root.chat.contextUsed).arg(root.contextSize)
            readonly property real value: root.fill
            Rectangle {
                width: parent.width * parent.value
                height: parent.height
                radius: parent.radius
                color: parent.value > 0.9 ? Theme.warning : Theme.accent
            }
        }
    }
}
