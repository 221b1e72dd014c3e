import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlo

// The messages of the open branch. Follows the stream while the user is at the bottom.
Item {
    id: root
    required property ChatController chat
    required property ModelController models
    signal editRequested(int row, string text)
    signal linkClicked(string link)

    ListView {
        id: list
        objectName: "messageList"
        anchors.fill: parent
        clip: true
        model: root.chat.messages
        spacing: 4
        topMargin: 16
        bottomMargin: 16
        Accessible.name: qsTr("Messages")
        Accessible.role: Accessible.List
        property bool following: true
        onMovementEnded: following = atYEnd
        onContentHeightChanged: if (following) positionViewAtEnd()
        onCountChanged: { following = true; positionViewAtEnd() }
        ScrollBar.vertical: ScrollBar { }

        delegate: MessageDelegate {
            width: ListView.view.width
            chat: root.chat
            onEditRequested: (row, text) => root.editRequested(row, text)
            onLinkClicked: (link) => root.linkClicked(link)
        }
    }

    Connections {
        target: root.chat
        function onMessageAppended(row) { list.following = true; list.positionViewAtEnd() }
    }

    ColumnLayout {
        anchors.centerIn: parent
        visible: list.count === 0
        spacing: 8
        width: Math.min(parent.width - 40, 520)
        Label {
            Layout.fillWidth: true
            text: qsTr("Parlo")
            font.pixelSize: 30
            font.bold: true
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
        }
        Label {
            Layout.fillWidth: true
            textFormat: Text.PlainText // the model's name comes from its file
            text: root.models.modelLoaded ? qsTr("Ask %1 anything. Everything stays on this computer.").arg(root.models.loadedName)
                                          : qsTr("Choose a model above to start chatting. Everything stays on this computer.")
            wrapMode: Text.Wrap
            color: Theme.subtext
            horizontalAlignment: Text.AlignHCenter
        }
    }
}
