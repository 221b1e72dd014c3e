import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlo

// Asked before a link from an answer is opened: the whole address, and where it goes. Links
// Parlo does not open (file:, smb:, other programs' schemes) get a message instead.
Dialog {
    id: root
    objectName: "linkDialog"
    property string link
    property bool refused: false
    property string shown
    property string host
    property string message

    // Shows the question (or the refusal) for `link`.
    function ask(link) {
        const decision = LinkOpener.inspect(link)
        root.link = link
        root.refused = !decision.allowed
        root.shown = decision.shown
        root.host = decision.host
        root.message = decision.message
        open()
    }

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(parent.width - 80, 520)
    modal: true
    title: root.refused ? qsTr("Link not opened") : qsTr("Open this link?")
    standardButtons: root.refused ? Dialog.Close : (Dialog.Open | Dialog.Cancel)
    onAccepted: if (!root.refused) LinkOpener.open(root.link)

    ColumnLayout {
        width: parent.width
        spacing: 10
        Label {
            Layout.fillWidth: true
            visible: !root.refused
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
            color: Theme.text
            text: qsTr("This opens %1 in another application:").arg(root.host)
        }
        Label {
            Layout.fillWidth: true
            visible: root.refused
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
            color: Theme.text
            text: root.message
        }
        TextField {
            objectName: "linkAddress"
            Layout.fillWidth: true
            readOnly: true
            selectByMouse: true
            font.family: Theme.monoFamily
            text: root.shown
            Accessible.name: qsTr("Address: %1").arg(text)
        }
    }
}
