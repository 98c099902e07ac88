package io.certflow.verification.dns.provider.route53;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The XML documents of the Route 53 REST API 2013-04-01 that {@link Route53Client} sends and reads: the
 * {@code ChangeResourceRecordSetsRequest}, the answers of {@code ListHostedZonesByName} and
 * {@code ListResourceRecordSets}, and error answers. Parsing refuses document types, so an answer cannot make
 * the parser read files or expand entities.
 */
final class Route53Xml {

    /** The namespace of every Route 53 2013-04-01 document. */
    static final String NS = "https://route53.amazonaws.com/doc/2013-04-01/";

    /** A hosted zone: its id without the {@code /hostedzone/} prefix, its absolute name, and whether private. */
    record HostedZone(String id, String name, boolean privateZone) {
    }

    /** One page of {@code ListHostedZonesByName}, with where the next page starts when it is truncated. */
    record ZonePage(List<HostedZone> zones, boolean truncated, String nextDnsName, String nextZoneId) {
    }

    /**
     * A resource record set. {@code simple} is false for sets with a routing policy ({@code SetIdentifier}) or
     * an alias target, which this adapter never changes.
     */
    record RecordSet(String name, String type, long ttl, List<String> values, boolean simple) {
    }

    /** An error answer: its code (e.g. {@code Throttling}) and message. */
    record Error(String code, String message) {
    }

    private Route53Xml() {
    }

    /** A {@code ChangeResourceRecordSetsRequest} of one change of a simple record set. */
    static String changeRequest(String action, RecordSet set, String comment) {
        StringBuilder xml = new StringBuilder()
                .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<ChangeResourceRecordSetsRequest xmlns=\"").append(NS).append("\">")
                .append("<ChangeBatch><Comment>").append(escape(comment)).append("</Comment><Changes><Change>")
                .append("<Action>").append(action).append("</Action>")
                .append("<ResourceRecordSet>")
                .append("<Name>").append(escape(set.name())).append("</Name>")
                .append("<Type>").append(set.type()).append("</Type>")
                .append("<TTL>").append(set.ttl()).append("</TTL>")
                .append("<ResourceRecords>");
        for (String value : set.values()) {
            xml.append("<ResourceRecord><Value>").append(escape(value)).append("</Value></ResourceRecord>");
        }
        return xml.append("</ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch>")
                .append("</ChangeResourceRecordSetsRequest>").toString();
    }

    /** The answer of {@code ListHostedZonesByName}. */
    static ZonePage zonePage(byte[] body) throws IOException {
        Element root = parse(body, "ListHostedZonesByNameResponse");
        List<HostedZone> zones = new ArrayList<>();
        for (Element zone : children(child(root, "HostedZones"), "HostedZone")) {
            String id = text(zone, "Id");
            Element config = child(zone, "Config");
            zones.add(new HostedZone(zoneId(String.valueOf(id)), text(zone, "Name"),
                    config != null && "true".equals(text(config, "PrivateZone"))));
        }
        String nextId = text(root, "NextHostedZoneId");
        return new ZonePage(zones, "true".equals(text(root, "IsTruncated")), text(root, "NextDNSName"),
                nextId == null ? null : zoneId(nextId));
    }

    /** The record sets in an answer of {@code ListResourceRecordSets}. */
    static List<RecordSet> recordSets(byte[] body) throws IOException {
        Element root = parse(body, "ListResourceRecordSetsResponse");
        List<RecordSet> sets = new ArrayList<>();
        for (Element set : children(child(root, "ResourceRecordSets"), "ResourceRecordSet")) {
            List<String> values = new ArrayList<>();
            for (Element record : children(child(set, "ResourceRecords"), "ResourceRecord")) {
                values.add(text(record, "Value"));
            }
            String ttl = text(set, "TTL");
            sets.add(new RecordSet(text(set, "Name"), text(set, "Type"), ttl == null ? 0 : Long.parseLong(ttl),
                    List.copyOf(values), child(set, "SetIdentifier") == null && child(set, "AliasTarget") == null));
        }
        return sets;
    }

    /**
     * The error of an error answer: the standard {@code ErrorResponse/Error/Code}, or the older form whose root
     * element is the code ({@code <InvalidChangeBatch><Messages><Message>…}). Empty when the body is neither.
     */
    static Optional<Error> error(byte[] body) {
        Element root;
        try {
            root = parse(body, null);
        } catch (IOException e) {
            return Optional.empty();
        }
        Element error = child(root, "Error");
        if ("ErrorResponse".equals(root.getLocalName()) && error != null && text(error, "Code") != null) {
            return Optional.of(new Error(text(error, "Code"), String.valueOf(text(error, "Message"))));
        }
        Element messages = child(root, "Messages");
        if (messages != null) {
            List<String> texts = children(messages, "Message").stream().map(Node::getTextContent).toList();
            return Optional.of(new Error(root.getLocalName(), String.join("; ", texts)));
        }
        return Optional.empty();
    }

    private static Element parse(byte[] body, String expectedRoot) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // throws on fatal errors, prints nothing
            Document document = builder.parse(new ByteArrayInputStream(body));
            Element root = document.getDocumentElement();
            if (expectedRoot != null && !(NS.equals(root.getNamespaceURI()) && expectedRoot.equals(root.getLocalName()))) {
                throw new IOException("expected a " + expectedRoot + " document, got <" + root.getTagName() + ">");
            }
            return root;
        } catch (SAXException | ParserConfigurationException e) {
            throw new IOException("not an XML document: " + e.getMessage(), e);
        }
    }

    /** A zone id as the API paths want it: {@code /hostedzone/Z1D633PJN98FT9} becomes {@code Z1D633PJN98FT9}. */
    private static String zoneId(String id) {
        return id.startsWith("/hostedzone/") ? id.substring("/hostedzone/".length()) : id;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && name.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
