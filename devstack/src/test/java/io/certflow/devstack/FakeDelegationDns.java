package io.certflow.devstack;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Stands in for verification-service's DNS server in tests: answers one TXT value for any name of the delegation zone. */
final class FakeDelegationDns implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;
    private final String txt;

    FakeDelegationDns(int port, String txt) throws SocketException {
        this.txt = txt;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.thread = new Thread(this::serve, "fake-delegation-dns");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                Message query = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                Record q = query.getQuestion();
                Message response = new Message(query.getHeader().getID());
                response.getHeader().setFlag(Flags.QR);
                response.getHeader().setFlag(Flags.AA);
                if (query.getHeader().getFlag(Flags.RD)) {
                    response.getHeader().setFlag(Flags.RD);
                }
                response.addRecord(q, Section.QUESTION);
                Name zone = Name.fromString(StackConfig.DELEGATION_ZONE);
                if (!q.getName().subdomain(zone)) {
                    response.getHeader().setRcode(Rcode.REFUSED);
                } else if (q.getType() == Type.TXT) {
                    response.addRecord(new TXTRecord(q.getName(), q.getDClass(), 1, txt), Section.ANSWER);
                }
                byte[] out = response.toWire();
                socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
