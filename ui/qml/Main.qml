import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ApplicationWindow {
    id: window
    width: 1100
    height: 720
    minimumWidth: 640
    minimumHeight: 420
    visible: true
    title: qsTr("Parlo")

    ColumnLayout {
        anchors.centerIn: parent
        spacing: 12

        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Parlo")
            font.pixelSize: 32
            font.bold: true
            Accessible.name: text
        }
        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Chat with open language models, entirely on this computer.")
            Accessible.name: text
        }
    }
}
