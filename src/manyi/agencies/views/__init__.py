"""The agencies' pages: public (request form, follow link, directory), the programme staff's
(requests, agencies, suspension), the agency's own (本机构概况, invitations) and the
enterprise's answers. Thin: the services check and change, these translate HTTP."""
