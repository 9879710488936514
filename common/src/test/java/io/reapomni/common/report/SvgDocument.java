package io.reapomni.common.report;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A figure parsed as XML, as any SVG viewer must be able to: its elements by tag and CSS class. */
record SvgDocument(Document document) {

    static SvgDocument parse(byte[] svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
        if (!"svg".equals(document.getDocumentElement().getLocalName())
                || !"http://www.w3.org/2000/svg".equals(document.getDocumentElement().getNamespaceURI())) {
            throw new AssertionError("the root element is not an SVG element");
        }
        return new SvgDocument(document);
    }

    /** The elements named {@code tag} whose class attribute lists every one of {@code classes}. */
    List<Element> elements(String tag, String... classes) {
        NodeList nodes = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element element = (Element) nodes.item(i);
            List<String> present = Arrays.asList(element.getAttribute("class").split(" "));
            if (present.containsAll(Arrays.asList(classes))) {
                found.add(element);
            }
        }
        return found;
    }

    String title() {
        return document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "title").item(0).getTextContent();
    }
}
